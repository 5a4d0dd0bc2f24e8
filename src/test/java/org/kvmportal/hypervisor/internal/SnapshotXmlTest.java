package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.FullSnapshotImpossibleException;
import org.kvmportal.hypervisor.SnapshotState;
import org.libvirt.Error.ErrorNumber;

/**
 * Reading libvirt's snapshot XML, deciding what a domain can take, and translating libvirt's refusals. The XML
 * and error texts are what libvirt 9.0 on qemu:///system wrote (see {@code QemuSnapshotsIT} for the live ones).
 */
class SnapshotXmlTest {

    @Test
    void a_disk_only_snapshot_reads_as_external_without_memory() {
        var snapshot = SnapshotXml.read("""
                <domainsnapshot>
                  <name>e1</name>
                  <state>disk-snapshot</state>
                  <parent><name>base</name></parent>
                  <creationTime>1795553132</creationTime>
                  <memory snapshot='no'/>
                  <disks>
                    <disk name='vda' snapshot='external' type='file'>
                      <driver type='qcow2'/>
                      <source file='/tmp/disk.e1'/>
                    </disk>
                  </disks>
                  <domain type='qemu'><name>vm</name></domain>
                </domainsnapshot>""", true);

        assertThat(snapshot.name()).isEqualTo("e1");
        assertThat(snapshot.description()).isEmpty();
        assertThat(snapshot.parent()).isEqualTo("base");
        assertThat(snapshot.created()).isEqualTo(Instant.ofEpochSecond(1795553132));
        assertThat(snapshot.state()).isEqualTo(SnapshotState.DISK_ONLY);
        assertThat(snapshot.memory()).isFalse();
        assertThat(snapshot.external()).isTrue();
        assertThat(snapshot.current()).isTrue();
    }

    @Test
    void an_internal_snapshot_of_a_running_domain_holds_memory() {
        var snapshot = SnapshotXml.read("""
                <domainsnapshot><name>s1</name><description>a &lt;b&gt; c</description><state>running</state>
                <creationTime>1</creationTime><memory snapshot='internal'/>
                <disks><disk name='vda' snapshot='internal'/></disks></domainsnapshot>""", false);

        assertThat(snapshot.description()).isEqualTo("a <b> c");
        assertThat(snapshot.state()).isEqualTo(SnapshotState.RUNNING);
        assertThat(snapshot.memory()).isTrue();
        assertThat(snapshot.external()).isFalse();
        assertThat(snapshot.parent()).isNull();
    }

    @Test
    void a_new_snapshots_xml_carries_markup_in_names_and_descriptions_as_text() {
        String xml = SnapshotXml.create("s1", "</description><memory snapshot='no'/>");

        var read = SnapshotXml.read(xml, false);
        assertThat(read.description()).isEqualTo("</description><memory snapshot='no'/>");
        assertThat(read.memory()).isFalse();
        assertThat(DomainXml.parse(xml).getElementsByTagName("memory").getLength())
                .isZero();
    }

    @Test
    void a_raw_disk_rules_out_a_full_snapshot_but_not_a_disk_only_one() {
        var support = SnapshotSupportReader.read(domain("<driver name='qemu' type='raw'/>", ""), 9_000_000);

        assertThat(support.full()).isFalse();
        assertThat(support.whyNotFull())
                .isEqualTo("its disk vda is a raw image, and only qcow2 disks can keep snapshots inside them");
        assertThat(support.diskOnly()).isTrue();
        assertThat(support.diskOnlyRevertible()).isFalse();
        assertThat(support.libvirtVersion()).isEqualTo("9.0.0");
    }

    @Test
    void uefi_firmware_rules_out_a_full_snapshot_before_libvirt_10_10() {
        String pflash = "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>";
        var old = SnapshotSupportReader.read(domain("<driver name='qemu' type='qcow2'/>", pflash), 9_009_000);
        var current = SnapshotSupportReader.read(domain("<driver name='qemu' type='qcow2'/>", pflash), 10_010_000);

        assertThat(old.full()).isFalse();
        assertThat(old.whyNotFull()).contains("UEFI firmware").contains("libvirt (9.9.0)");
        assertThat(old.diskOnlyRevertible()).isTrue();
        assertThat(current.full()).isTrue();
    }

    @Test
    void qcow2_disks_take_full_snapshots() {
        var support = SnapshotSupportReader.read(domain("<driver name='qemu' type='qcow2'/>", ""), 9_000_000);

        assertThat(support.full()).isTrue();
        assertThat(support.diskOnly()).isTrue();
    }

    @Test
    void libvirts_refusal_of_a_raw_disk_becomes_an_offer_of_a_disk_only_snapshot() {
        var error = SnapshotErrors.special(
                "take a full snapshot of vm",
                ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
                "unsupported configuration: internal snapshot for disk vda unsupported for storage type raw",
                null);

        assertThat(error)
                .isInstanceOf(FullSnapshotImpossibleException.class)
                .hasMessage("Could not take a full snapshot of vm: its disk vda is a raw image, and only qcow2 disks"
                        + " can keep snapshots inside them." + SnapshotErrors.DISK_ONLY_OFFER);
    }

    @Test
    void libvirts_refusal_of_uefi_firmware_becomes_an_offer_of_a_disk_only_snapshot() {
        var error = SnapshotErrors.special(
                "take a full snapshot of vm",
                ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
                "Operation not supported: internal snapshots of a VM with pflash based firmware are not supported",
                null);

        assertThat(error).isInstanceOf(FullSnapshotImpossibleException.class);
        assertThat(error.getMessage()).contains("UEFI firmware").endsWith(SnapshotErrors.DISK_ONLY_OFFER);
    }

    @Test
    void reverting_to_a_disk_only_snapshot_on_older_libvirt_is_explained() {
        var error = SnapshotErrors.special(
                "revert vm to snapshot \"e1\"",
                ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
                "unsupported configuration: revert to external snapshot not supported yet",
                null);

        assertThat(error)
                .isNotInstanceOf(FullSnapshotImpossibleException.class)
                .hasMessage("Could not revert vm to snapshot \"e1\": this host's libvirt cannot revert to a disk-only"
                        + " snapshot (libvirt 9.9 and newer can). The snapshot and its overlay files are kept.");
    }

    @Test
    void other_errors_are_left_to_the_general_translation() {
        assertThat(SnapshotErrors.special("x", ErrorNumber.VIR_ERR_OPERATION_INVALID, "domain is not running", null))
                .isNull();
    }

    private static org.w3c.dom.Document domain(String driver, String loader) {
        return DomainXml.parse("<domain type='qemu'><name>vm</name><os><type>hvm</type>" + loader + "</os>"
                + "<devices><disk type='file' device='disk'>" + driver + "<source file='/d/vm.img'/>"
                + "<target dev='vda' bus='virtio'/></disk>"
                + "<disk type='file' device='cdrom'><source file='/d/cd.iso'/><target dev='hdc'/><readonly/></disk>"
                + "</devices></domain>");
    }
}
