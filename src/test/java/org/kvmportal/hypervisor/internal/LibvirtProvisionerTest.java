package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.NewVm;
import org.kvmportal.hypervisor.ProvisioningOptions;
import org.kvmportal.hypervisor.VmSource;

/**
 * The provisioner on libvirt's test driver, where a definition is made to fail after the volumes exist (the one
 * failure a healthy host does not give on demand): what was made is deleted again.
 */
class LibvirtProvisionerTest {

    private static final UUID TEMPLATE = UUID.fromString("11111111-2222-3333-4444-555555555555");

    @TempDir
    Path dir;

    private LibvirtHypervisor hypervisor;

    @BeforeEach
    void connect() throws Exception {
        var file = dir.resolve("host.xml");
        Files.writeString(file, """
                <node>
                  <domain type='test'>
                    <name>tmpl</name>
                    <uuid>11111111-2222-3333-4444-555555555555</uuid>
                    <memory>262144</memory>
                    <vcpu>1</vcpu>
                    <os><type>hvm</type></os>
                    <devices>
                      <disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>
                        <source pool='images' volume='tmpl.qcow2'/><target dev='vda' bus='virtio'/></disk>
                      <disk type='volume' device='disk'><driver name='qemu' type='raw'/>
                        <source pool='images' volume='tmpl-data.img'/><target dev='vdb' bus='virtio'/></disk>
                      <interface type='user'/>
                    </devices>
                    <test:runstate xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>5</test:runstate>
                  </domain>
                  <pool type='dir'>
                    <name>images</name>
                    <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid>
                    <capacity>107374182400</capacity><allocation>0</allocation><available>107374182400</available>
                    <target><path>/images</path></target>
                    <volume type='file'><name>tmpl.qcow2</name><capacity>67108864</capacity>
                      <target><format type='qcow2'/></target></volume>
                    <volume type='file'><name>tmpl-data.img</name><capacity>1048576</capacity>
                      <target><format type='raw'/></target></volume>
                  </pool>
                </node>
                """);
        hypervisor =
                new LibvirtHypervisor(Map.of("sim", "test://" + file.toAbsolutePath()), event -> {}, Clock.systemUTC());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED
                || hypervisor.domains().isEmpty()) {
            assertThat(System.nanoTime()).as("connected").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @AfterEach
    void close() {
        hypervisor.close();
    }

    @Test
    void a_definition_that_fails_deletes_the_volumes_made_for_it() {
        // The host itself refuses: the definition is swapped for one libvirt rejects, after the volumes exist.
        var failing = new LibvirtProvisioner(
                hypervisor,
                "auto",
                (connect, xml) -> connect.domainDefineXML("<domain type='no-such-type'><name>doomed</name></domain>")
                        .free());
        var working = new LibvirtProvisioner(hypervisor, "auto");
        var before = volumes(working);

        for (boolean linked : List.of(true, false)) {
            assertThatThrownBy(() -> failing.create(copy("doomed", linked)).join())
                    .hasCauseInstanceOf(HypervisorException.class)
                    .hasMessageContaining("Could not define doomed: the definition was refused")
                    .hasMessageContaining("The disk volumes made for it were deleted again.");
            assertThat(volumes(working)).isEqualTo(before);
            assertThat(hypervisor.domains()).extracting(DomainSummary::name).containsExactly("tmpl");
        }

        var made = working.create(copy("kept", true)).join();
        assertThat(made.volumes()).containsExactly("images/kept.qcow2", "images/kept-vdb.qcow2");
        assertThat(volumes(working)).containsAll(before).contains("kept.qcow2", "kept-vdb.qcow2");
    }

    @Test
    void a_name_taken_meanwhile_is_refused_before_anything_is_made() {
        var working = new LibvirtProvisioner(hypervisor, "auto");
        working.create(copy("first", false)).join();
        var before = volumes(working);

        assertThatThrownBy(() -> working.create(copy("first", false)).join())
                .hasMessageContaining("A virtual machine named first already exists on host sim.");
        assertThat(volumes(working)).isEqualTo(before);
    }

    private static NewVm copy(String name, boolean linked) {
        return new NewVm(
                "sim",
                name,
                "",
                UUID.randomUUID(),
                new VmSource.CopyOf(TEMPLATE, linked),
                null,
                1,
                256,
                0,
                null,
                null,
                null,
                false);
    }

    private static List<String> volumes(LibvirtProvisioner provisioner) {
        return provisioner.options("sim").join().pools().getFirst().volumes().stream()
                .map(ProvisioningOptions.Volume::name)
                .toList();
    }
}
