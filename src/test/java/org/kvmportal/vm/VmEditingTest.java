package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.testing.SignedIn;
import org.kvmportal.testing.TestAccounts;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * VM editing through the service on libvirt's built-in test driver ({@code test:///default}, shared by every
 * connection in this JVM): each test defines its own throwaway domain with its own connection, edits it through
 * the portal, and checks the result on that connection.
 */
@SpringBootTest
@WithMockUser(username = "edit-admin", roles = "ADMIN")
class VmEditingTest {

    private static final String DOMAIN_XML = """
            <domain type='test'>
              <name>%s</name>
              <uuid>%s</uuid>
              <memory unit='KiB'>524288</memory>
              <currentMemory unit='KiB'>524288</currentMemory>
              <vcpu>2</vcpu>
              <os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>
              <devices>
                <disk type='file' device='disk'>
                  <source file='/guest/%1$s.img'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type='file' device='cdrom'>
                  <target dev='sda' bus='sata'/>
                  <readonly/>
                </disk>
                <interface type='network'>
                  <mac address='52:54:00:aa:00:01'/>
                  <source network='default'/>
                  <model type='virtio'/>
                </interface>
                <graphics type='vnc' port='-1' passwd='s3cret-pass'/>
              </devices>
            </domain>
            """;

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        registry.add("kvmportal.hosts[0].name", () -> "sim");
        registry.add("kvmportal.hosts[0].uri", () -> "test:///default");
        registry.add("kvmportal.data-dir", () -> dir.toString());
    }

    @Autowired
    VmEditing editing;

    @Autowired
    VmService vms;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    VmAssignments assignments;

    @Autowired
    JdbcClient jdbc;

    private Connect libvirt;
    private String name;
    private DomainRef ref;

    @BeforeEach
    void defineThrowawayDomain() throws Exception {
        var accounts = new TestAccounts(jdbc);
        accounts.user("edit-admin", "ADMIN");
        accounts.user("edit-operator", "USER");
        accounts.user("edit-helpdesk", "HELPDESK");
        libvirt = new Connect("test:///default");
        name = "kp-edit-" + UUID.randomUUID().toString().substring(0, 8);
        var uuid = UUID.randomUUID();
        libvirt.domainDefineXML(DOMAIN_XML.formatted(name, uuid)).free();
        ref = new DomainRef("sim", uuid);
        awaitListed();
    }

    @AfterEach
    void removeIt() throws LibvirtException {
        try {
            var domain = libvirt.domainLookupByName(name);
            if (domain.isActive() == 1) {
                domain.destroy();
            }
            domain.undefine();
        } finally {
            libvirt.close();
        }
    }

    @Test
    void memory_and_vcpus_of_a_stopped_vm_change_in_its_definition() throws Exception {
        var outcome = editing.setProcessorsAndMemory(ref, 3, 4, 768L, 1024L).join();

        assertThat(outcome.pending()).isEmpty();
        String xml = inactiveXml();
        assertThat(xml).contains("<vcpu placement='static' current='3'>4</vcpu>");
        assertThat(xml).contains("<memory unit='KiB'>1048576</memory>");
        assertThat(xml).contains("<currentMemory unit='KiB'>786432</currentMemory>");
        assertThat(xml)
                .as("the rest of the definition, secrets included, is kept")
                .contains("passwd='s3cret-pass'");
        var hardware = editing.hardware(ref).join();
        assertThat(hardware.vcpus()).isEqualTo(3);
        assertThat(hardware.maxVcpus()).isEqualTo(4);
        assertThat(hardware.memoryKiB()).isEqualTo(786_432);
        assertThat(auditDetails("VM_EDIT_CPU_MEMORY"))
                .contains(
                        "2 of at most 2 vCPUs, 512 of at most 512 MiB → 3 of at most 4 vCPUs, 768 of at most 1024 MiB");
    }

    @Test
    void a_running_vm_takes_what_it_can_now_and_shows_the_rest_as_pending() throws Exception {
        libvirt.domainLookupByName(name).create();

        var outcome = editing.setProcessorsAndMemory(ref, 2, 4, 256L, 512L).join();

        assertThat(liveXml()).as("memory shrinks at once").contains("<currentMemory unit='KiB'>262144</currentMemory>");
        assertThat(outcome.pending()).contains("Maximum vCPUs: 2 now, 4 after the next start");
        assertThat(editing.hardware(ref).join().pending())
                .containsExactly("Maximum vCPUs: 2 now, 4 after the next start");
        assertThat(inactiveXml()).contains("<vcpu placement='static' current='2'>4</vcpu>");
    }

    @Test
    void limits_are_checked_per_field_before_libvirt_and_nothing_changes() throws Exception {
        String before = inactiveXml();

        assertThatThrownBy(() ->
                        editing.setProcessorsAndMemory(ref, 0, 999, 8L, null).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        VmEditException.class,
                        refusal -> assertThat(refusal.errors())
                                .containsEntry("vcpus", "Enter the number of vCPUs: 1 or more.")
                                .containsEntry("maxVcpus", "This host gives a test machine at most 32 vCPUs.")
                                .containsEntry("memory", "Enter the memory: 16 MiB or more.")
                                .containsEntry(
                                        "maxMemory", "Enter the most memory the machine may have: 16 MiB or more."));
        assertThatThrownBy(() ->
                        editing.setProcessorsAndMemory(ref, 3, 2, 1024L, 512L).join())
                .cause()
                .isInstanceOfSatisfying(
                        VmEditException.class,
                        refusal -> assertThat(refusal.errors())
                                .containsOnlyKeys("vcpus", "memory")
                                .containsEntry("vcpus", "At most the maximum vCPUs (2).")
                                .containsEntry("memory", "At most the maximum memory (512 MiB)."));
        assertThatThrownBy(() -> editing.setProcessorsAndMemory(ref, 2, 2, 512L, 9_000_000L)
                        .join())
                .cause()
                .isInstanceOfSatisfying(
                        VmEditException.class,
                        refusal -> assertThat(refusal.errors())
                                .containsExactly(
                                        java.util.Map.entry("maxMemory", "The host has 3072 MiB of memory in all.")));

        libvirt.domainLookupByName(name).create();
        // The test driver reports 3 MiB free: a running machine cannot grow by more.
        assertThatThrownBy(() ->
                        editing.setProcessorsAndMemory(ref, 2, 2, 1024L, 1024L).join())
                .cause()
                .isInstanceOfSatisfying(
                        VmEditException.class,
                        refusal -> assertThat(refusal.errors())
                                .containsOnlyKeys("memory")
                                .extractingByKey("memory")
                                .asString()
                                .startsWith("The host has only 3 MiB free: at most 515 MiB while the machine runs."));

        assertThat(inactiveXml()).isEqualTo(before);
        assertThat(auditDetails("VM_EDIT_CPU_MEMORY")).isEmpty();
    }

    @Test
    void a_description_of_any_text_round_trips_exactly() throws Exception {
        String tricky = "Quotes \"double\" and 'single', <b>not bold</b> & &amp; ]]>\nsecond line\n\ttabbed"
                + " – Ünïcödé 日本語 🚀\n";

        editing.setDescription(ref, tricky).join();

        assertThat(editing.hardware(ref).join().description()).isEqualTo(tricky);
        assertThat(libvirtDescription()).isEqualTo(tricky);
        editing.setDescription(ref, "one\r\ntwo").join();
        assertThat(editing.hardware(ref).join().description()).isEqualTo("one\ntwo");
        assertThatThrownBy(() -> editing.setDescription(ref, "bell \u0007").join())
                .cause()
                .isInstanceOf(VmEditException.class)
                .hasMessage("A description cannot hold control characters other than line breaks and tabs.");
        editing.setDescription(ref, "").join();
        assertThat(editing.hardware(ref).join().description()).isEmpty();
    }

    @Test
    void the_xml_editor_keeps_the_old_definition_when_libvirt_refuses_the_new_one() throws Exception {
        String before = inactiveXml();
        String editable = editing.xmlForEditing(ref).join();
        assertThat(editable).contains("passwd=\"********\"").doesNotContain("s3cret-pass");

        assertThat(failure(editing.defineXml(ref, editable.replace("</domain>", ""))))
                .startsWith("The XML is not well-formed: ");
        assertThat(failure(editing.defineXml(ref, editable.replace("<devices>", "<devices><bogus/>"))))
                .contains("XML document failed to validate against schema");
        assertThat(failure(editing.defineXml(ref, editable.replace("<name>" + name, "<name>renamed"))))
                .contains("The name cannot be changed here");
        assertThat(inactiveXml()).isEqualTo(before);

        editing.defineXml(ref, editable.replace("<vcpu placement=\"static\">2</vcpu>", "<vcpu>3</vcpu>"))
                .join();
        assertThat(inactiveXml())
                .contains("<vcpu placement='static'>3</vcpu>")
                .as("the masked password is kept, not replaced by asterisks")
                .contains("passwd='s3cret-pass'");
        assertThat(auditDetails("VM_XML_DEFINE"))
                .anySatisfy(detail -> assertThat(detail)
                        .contains("- <vcpu placement=\"static\">2</vcpu>", "+ <vcpu>3</vcpu>")
                        .doesNotContain("s3cret"));
    }

    @Test
    void passwords_typed_into_the_xml_editor_never_reach_the_audit_log_however_they_are_written() throws Exception {
        String editable = editing.xmlForEditing(ref).join();
        String masked = "passwd=\"********\"";
        assertThat(editable).contains(masked);

        // spaces around "=" and single quotes; the other quote inside; an entity; a line break inside the value
        editing.defineXml(ref, editable.replace(masked, "passwd = 'typed-one\"x'"))
                .join();
        assertThat(inactiveXml()).contains("passwd='typed-one&quot;x'");
        editing.defineXml(ref, editable.replace(masked, "passwd=\n  \"typed-&amp;-two\""))
                .join();
        assertThat(inactiveXml()).contains("typed-&amp;-two");
        editing.defineXml(ref, editable.replace(masked, "passwd='typed-\n three'"))
                .join();
        // refused by libvirt's schema, and not XML at all: attempts are audited, their secrets are not
        assertThat(failure(editing.defineXml(
                        ref,
                        editable.replace(masked, "passwd='typed-four'").replace("<devices>", "<devices><bogus/>"))))
                .contains("failed to validate");
        assertThat(failure(editing.defineXml(ref, editable.replace(masked, "passwd='typed-five' <"))))
                .isNotNull();

        var rows = jdbc.sql("select * from audit_event where action = 'VM_XML_DEFINE' and target like :target"
                        + " order by id")
                .param("target", "%" + name + "%")
                .query()
                .listOfRows();
        assertThat(rows)
                .extracting(row -> row.get("RESULT"))
                .containsExactly("SUCCESS", "SUCCESS", "SUCCESS", "FAILURE", "FAILURE");
        var everything =
                jdbc.sql("select * from audit_event").query().listOfRows().toString();
        assertThat(everything).doesNotContain("typed-");
    }

    @Test
    void disks_are_added_from_a_pool_detached_and_the_volume_kept() throws Exception {
        var choices = editing.choices(ref).join();
        assertThat(choices.pool("default-pool")).isPresent();
        String volume = name + "-data.qcow2";

        assertThatThrownBy(() -> editing.addNewDisk(ref, "no-pool", "", 0L, "vmdk", "floppy")
                        .join())
                .cause()
                .isInstanceOfSatisfying(
                        VmEditException.class,
                        refusal -> assertThat(refusal.errors())
                                .containsOnlyKeys("pool", "volume", "size", "format", "bus"));
        editing.addNewDisk(ref, "default-pool", volume, 2L, "qcow2", "virtio").join();

        assertThat(inactiveXml())
                .contains("<source file='/default-pool/" + volume + "'/>", "<target dev='vdb' bus='virtio'/>");
        editing.detachDisk(ref, "vdb").join();
        assertThat(inactiveXml()).doesNotContain(volume);
        assertThat(List.of(libvirt.storagePoolLookupByName("default-pool").listVolumes()))
                .as("detaching keeps the data")
                .contains(volume);
        editing.attachDisk(ref, "default-pool", volume, "sata").join();
        assertThat(inactiveXml()).contains("<target dev='sdb' bus='sata'/>");
        libvirt.storagePoolLookupByName("default-pool")
                .storageVolLookupByName(volume)
                .delete(0);
    }

    @Test
    void a_cdrom_takes_a_pools_disc_image_and_ejects_it() throws Exception {
        String iso = name + ".iso";
        libvirt.storagePoolLookupByName("default-pool")
                .storageVolCreateXML("<volume><name>" + iso + "</name><capacity>1048576</capacity></volume>", 0)
                .free();
        try {
            assertThatThrownBy(() -> editing.insertMedia(ref, "vda", "default-pool", "nope.iso")
                            .join())
                    .cause()
                    .isInstanceOfSatisfying(
                            VmEditException.class,
                            refusal -> assertThat(refusal.errors())
                                    .containsEntry("target", "vda is not a CD-ROM drive.")
                                    .containsEntry("volume", "Choose a disc image (.iso) of pool default-pool."));

            editing.insertMedia(ref, "sda", "default-pool", iso).join();
            assertThat(editing.hardware(ref).join().disk("sda").orElseThrow().source())
                    .isEqualTo("/default-pool/" + iso);
            editing.ejectMedia(ref, "sda").join();
            assertThat(editing.hardware(ref).join().disk("sda").orElseThrow().source())
                    .isEmpty();
        } finally {
            libvirt.storagePoolLookupByName("default-pool")
                    .storageVolLookupByName(iso)
                    .delete(0);
        }
    }

    @Test
    void nics_are_added_changed_and_removed_and_the_boot_order_set() throws Exception {
        assertThatThrownBy(() -> editing.addNic(ref, "nowhere", "ne2k", "01:00:00:00:00:01")
                        .join())
                .cause()
                .isInstanceOfSatisfying(
                        VmEditException.class,
                        refusal -> assertThat(refusal.errors()).containsOnlyKeys("network", "model", "mac"));
        assertThatThrownBy(() -> editing.addNic(ref, "default", "virtio", "52:54:00:AA:00:01")
                        .join())
                .cause()
                .hasMessage(name + " has a network interface with this MAC address already.");

        editing.addNic(ref, "default", "e1000", "52:54:00:aa:00:02").join();
        editing.changeNic(ref, "52:54:00:aa:00:02", null, "rtl8139", null).join();
        var nic = editing.hardware(ref).join().nic("52:54:00:aa:00:02").orElseThrow();
        assertThat(nic.type()).isEqualTo("user");
        assertThat(nic.model()).isEqualTo("rtl8139");

        editing.setBootOrder(ref, List.of("52:54:00:aa:00:02", "vda")).join();
        assertThat(editing.hardware(ref).join().bootOrder()).containsExactly("52:54:00:aa:00:02", "vda");
        assertThat(inactiveXml()).doesNotContain("<boot dev=");

        editing.removeNic(ref, "52:54:00:aa:00:02").join();
        assertThat(editing.hardware(ref).join().nics()).hasSize(1);
        assertThat(editing.hardware(ref).join().bootOrder()).containsExactly("vda");
    }

    @Test
    @WithMockUser(username = "edit-operator", roles = "USER")
    void operators_and_help_desk_may_not_edit() throws Exception {
        SignedIn.as(
                "edit-admin",
                "ADMIN",
                () -> assignments.assign(List.of(ref), new Grantee.User("edit-operator"), VmAccessLevel.OPERATE));
        String before = inactiveXml();

        assertThat(editing.mayEdit(ref)).isFalse();
        assertThat(failure(editing.setProcessorsAndMemory(ref, 1, 1, 256L, 256L)))
                .isEqualTo("You may not change how " + name + " is configured.");
        assertThat(failure(editing.setDescription(ref, "mine now")))
                .isEqualTo("You may not change how " + name + " is configured.");
        assertThat(failure(editing.hardware(ref))).isEqualTo("You may not change how " + name + " is configured.");
        assertThatThrownBy(() -> editing.xmlForEditing(ref))
                .isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
        assertThat(inactiveXml()).isEqualTo(before);

        SignedIn.as(
                "edit-admin",
                "ADMIN",
                () -> assignments.assign(List.of(ref), new Grantee.User("edit-operator"), VmAccessLevel.MANAGE));
        assertThat(editing.mayEdit(ref)).isTrue();
        assertThat(editing.mayEditXml(ref)).as("the XML editor is for admins").isFalse();
        editing.setProcessorsAndMemory(ref, 1, 2, 256L, 512L).join();
        assertThat(inactiveXml()).contains("<currentMemory unit='KiB'>262144</currentMemory>");
        SignedIn.as("edit-admin", "ADMIN", () -> assignments.revoke(List.of(ref), new Grantee.User("edit-operator")));
    }

    @Test
    void people_who_are_not_staff_see_no_host_paths_networks_or_display_addresses() throws Exception {
        libvirt.domainLookupByName(name).create();
        SignedIn.as(
                "edit-admin",
                "ADMIN",
                () -> assignments.assign(List.of(ref), new Grantee.User("edit-operator"), VmAccessLevel.MANAGE));

        var staffView = vms.details(ref).join();
        var userView =
                SignedIn.as("edit-operator", "USER", () -> vms.details(ref).join());
        var userHardware =
                SignedIn.as("edit-operator", "USER", () -> editing.hardware(ref).join());

        assertThat(staffView.disks().getFirst().source()).isEqualTo("/guest/" + name + ".img");
        assertThat(staffView.nics().getFirst().source()).isEqualTo("default");
        assertThat(userView.disks().getFirst().source()).isEqualTo(name + ".img");
        assertThat(userView.nics()).singleElement().satisfies(nic -> {
            assertThat(nic.source()).isEmpty();
            assertThat(nic.mac()).isEqualTo("52:54:00:aa:00:01");
        });
        assertThat(userView.graphics()).singleElement().satisfies(graphics -> {
            assertThat(graphics.listen()).isEmpty();
            assertThat(graphics.port()).isEqualTo(-1);
        });
        assertThat(userHardware.disks().getFirst().source()).isEqualTo(name + ".img");
        assertThat(editing.hardware(ref).join().disks().getFirst().source()).isEqualTo("/guest/" + name + ".img");
        SignedIn.as("edit-admin", "ADMIN", () -> assignments.revoke(List.of(ref), new Grantee.User("edit-operator")));
    }

    private static String failure(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return VmService.messageOf(e);
        }
        throw new AssertionError("expected a failure");
    }

    private String inactiveXml() throws LibvirtException {
        return libvirt.domainLookupByName(name).getXMLDesc(1 | 2);
    }

    private String liveXml() throws LibvirtException {
        return libvirt.domainLookupByName(name).getXMLDesc(0);
    }

    private String libvirtDescription() throws LibvirtException {
        // VIR_DOMAIN_METADATA_DESCRIPTION of the persistent definition (VIR_DOMAIN_AFFECT_CONFIG)
        return libvirt.domainLookupByName(name).getMetadata(0, null, 2);
    }

    private List<String> auditDetails(String action) {
        return jdbc.sql("select detail from audit_event where action = :action and target like :target and result ="
                        + " 'SUCCESS'")
                .param("action", action)
                .param("target", "%" + name + "%")
                .query(String.class)
                .list();
    }

    private void awaitListed() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED
                || hypervisor.domain(ref).isEmpty()) {
            assertThat(System.nanoTime()).as(name + " listed").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
