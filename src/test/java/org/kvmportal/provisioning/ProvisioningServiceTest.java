package org.kvmportal.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.kvmportal.provisioning.ProvisioningHost.HOST;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Firmware;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.NetworkChoice;
import org.kvmportal.hypervisor.OsVariant;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.Provisioner;
import org.kvmportal.hypervisor.ProvisioningOptions;
import org.kvmportal.hypervisor.VmSource;
import org.kvmportal.testing.SignedIn;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.vm.AssignedVm;
import org.kvmportal.vm.VmAccessLevel;
import org.kvmportal.vm.VmAction;
import org.kvmportal.vm.VmActionException;
import org.kvmportal.vm.VmService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Creating and cloning VMs through the service on a simulated host (libvirt's test driver with a pool, a
 * network and a template VM): what is made, and that every refusal makes nothing at all.
 */
@SpringBootTest
@WithMockUser(username = "admin", roles = "ADMIN")
class ProvisioningServiceTest {

    private static final UUID TEMPLATE = UUID.fromString(ProvisioningHost.TEMPLATE_UUID);
    private static final DomainRef TEMPLATE_REF = new DomainRef(HOST, TEMPLATE);
    private static final DomainRef OTHER_REF = new DomainRef(HOST, UUID.fromString(ProvisioningHost.OTHER_UUID));

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        ProvisioningHost.register(registry, dir);
    }

    @Autowired
    ProvisioningService provisioning;

    @Autowired
    Provisioner provisioner;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    VmService vms;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void accounts() throws InterruptedException {
        var accounts = new TestAccounts(jdbc);
        accounts.user("admin", "ADMIN");
        accounts.user("alice", "USER");
        accounts.user("bob", "USER");
        ProvisioningHost.awaitConnected(hypervisor);
        provisioning.markTemplate(TEMPLATE_REF, true);
    }

    @Test
    void an_admin_creates_a_linked_clone_of_a_template_whose_preview_is_what_gets_defined() {
        var request = fromTemplate("web-1", true);

        String preview = provisioning.preview(request).join();
        // A second look gives the same definition: the preview can be trusted.
        assertThat(provisioning.preview(request).join()).isEqualTo(preview);
        var created = provisioning.create(request).join();

        assertThat(created.ref()).isEqualTo(new DomainRef(HOST, request.uuid()));
        assertThat(created.volumes()).containsExactly("images/web-1.qcow2");
        assertThat(vm("web-1").vcpus()).isEqualTo(2);
        assertThat(vm("web-1").maxMemoryKiB()).isEqualTo(512 * 1024);
        assertThat(volumes()).contains("web-1.qcow2", "tmpl.qcow2");
        assertThat(preview)
                .contains("<name>web-1</name>", "<uuid>" + request.uuid() + "</uuid>")
                .contains("<source pool=\"images\" volume=\"web-1.qcow2\"/>")
                .contains("<log file=\"/var/log/web-1-serial0.log\"/>")
                .doesNotContain("52:54:00:00:00:01");
        String defined = hypervisor.domainXml(created.ref()).join();
        assertThat(defined).contains("volume=\"web-1.qcow2\"").contains(mac(preview));
    }

    @Test
    void descriptions_of_any_text_round_trip_exactly() {
        String text =
                "He said \"hi\" & left <b>bold</b> 'quoted'\nsecond line\r\nwindows line\n\ttabbed — ünïcödé 日本語 🚀";
        var request = withDescription(fromTemplate("described", true), text);

        var created = provisioning.create(request).join();

        assertThat(vms.details(created.ref()).join().description()).isEqualTo(text);
    }

    @Test
    void an_iso_install_makes_an_empty_disk_of_the_size_asked_and_boots_the_installer() {
        var request = new NewVmRequest(
                UUID.randomUUID(),
                HOST,
                "installed",
                "",
                new VmSource.IsoInstall("images", "installer.iso"),
                OsVariant.DEBIAN_12,
                1,
                1024,
                8,
                "images",
                new NetworkChoice.Libvirt("lab"),
                Firmware.BIOS,
                false);

        String xml = provisioning.preview(request).join();
        provisioning.create(request).join();

        assertThat(xml)
                .contains("<source pool=\"images\" volume=\"installed.qcow2\"/>")
                .contains("<source pool=\"images\" volume=\"installer.iso\"/>")
                .contains("<source network=\"lab\"/>", "<boot dev=\"cdrom\"/>", "http://debian.org/debian/12");
        assertThat(volume("installed.qcow2").capacityBytes()).isEqualTo(8L << 30);
        assertThat(vm("installed").vcpus()).isEqualTo(1);
    }

    @Test
    void an_imported_disk_is_used_as_it_is_and_then_no_longer_offered_to_another_vm() {
        var request = importDisk("imported", "spare.img");

        provisioning.create(request).join();

        assertThat(volume("spare.img").usedBy()).containsExactly("imported");
        refused(() -> provisioning.create(importDisk("imported-again", "spare.img")), "source", "is used by imported");
    }

    @Test
    void every_bad_field_is_refused_with_its_own_message_and_nothing_is_made() {
        var before = hostContents();

        refused(() -> provisioning.create(named("")), "name", "Enter a name");
        refused(() -> provisioning.create(named("has space")), "name", "only letters, digits");
        refused(() -> provisioning.create(named("-dash-first")), "name", "only letters, digits");
        refused(() -> provisioning.create(named("a/b")), "name", "only letters, digits");
        refused(() -> provisioning.create(named("<script>")), "name", "only letters, digits");
        refused(() -> provisioning.create(named("ünï")), "name", "only letters, digits");
        refused(() -> provisioning.create(named("x".repeat(51))), "name", "at most 50 characters");
        refused(() -> provisioning.create(named("tmpl")), "name", "already exists on host sim");
        refused(() -> provisioning.create(named("TMPL")), "name", "already exists on host sim");
        refused(
                () -> provisioning.create(withDescription(named("d"), "bell \u0007")),
                "description",
                "control character (code 7)");
        refused(
                () -> provisioning.create(withDescription(named("d"), "x".repeat(4001))),
                "description",
                "at most 4000 characters");
        refused(() -> provisioning.create(sized(0, 512)), "vcpus", "Choose 1 to 64 vCPUs.");
        refused(() -> provisioning.create(sized(65, 512)), "vcpus", "Choose 1 to 64 vCPUs.");
        refused(() -> provisioning.create(sized(1, 63)), "memory", "Memory is 64 MiB to 256 GiB.");
        refused(() -> provisioning.create(sized(1, 256 * 1024 + 1)), "memory", "Memory is 64 MiB to 256 GiB.");
        refused(() -> provisioning.create(iso("installer.iso", 0, "images")), "diskSize", "1 to 4096 GiB");
        refused(() -> provisioning.create(iso("installer.iso", 4097, "images")), "diskSize", "1 to 4096 GiB");
        refused(() -> provisioning.create(iso("spare.img", 8, "images")), "source", "not an installer image");
        refused(() -> provisioning.create(iso("missing.iso", 8, "images")), "source", "no volume named missing.iso");
        refused(
                () -> provisioning.create(iso("installer.iso", 8, "nope")),
                "pool",
                "no active storage pool named nope");
        refused(() -> provisioning.create(importDisk("imp", "installer.iso")), "source", "is an installer image");
        refused(() -> provisioning.create(importDisk("imp", "other.img")), "source", "is used by other");
        refused(
                () -> provisioning.create(withNetwork(iso("installer.iso", 8, "images"), "nope")),
                "network",
                "no active network named nope");
        refused(
                () -> provisioning.create(withFirmware(iso("installer.iso", 8, "images"), Firmware.UEFI)),
                "firmware",
                "UEFI is not offered");
        refused(() -> provisioning.create(onHost(iso("installer.iso", 8, "images"), "nope")), "host", "Choose one of");
        refused(() -> provisioning.create(copyOf(OTHER_REF.uuid())), "template", "Choose one of the templates");

        assertThat(hostContents()).isEqualTo(before);
    }

    @Test
    void users_create_from_self_service_templates_only_and_get_the_vm_at_manage_level() {
        var before = hostContents();
        refused(
                () -> SignedIn.as("alice", "USER", () -> provisioning.create(iso("installer.iso", 8, "images"))),
                "source",
                "Only administrators");
        provisioning.markTemplate(TEMPLATE_REF, false);
        assertThat(SignedIn.as("alice", "USER", () -> CompletableFuture.completedFuture(provisioning.templates()))
                        .join())
                .isEmpty();
        refused(
                () -> SignedIn.as("alice", "USER", () -> provisioning.create(fromTemplate("alice-1", true))),
                "template",
                "Choose one of");
        assertThat(hostContents()).isEqualTo(before);

        provisioning.markTemplate(TEMPLATE_REF, true);
        var created = SignedIn.as("alice", "USER", () -> provisioning.create(fromTemplate("alice-1", true)))
                .join();

        List<AssignedVm> hers = SignedIn.as("alice", "USER", () -> CompletableFuture.completedFuture(vms.myVms()))
                .join();
        assertThat(hers).singleElement().satisfies(assigned -> {
            assertThat(assigned.vm().ref()).isEqualTo(created.ref());
            assertThat(assigned.level()).isEqualTo(VmAccessLevel.MANAGE);
        });
    }

    @Test
    void over_quota_creates_nothing_and_says_which_quota() {
        jdbc.sql("update app_user set quota_vms = 5, quota_vcpus = 2, quota_memory_mib = 1024 where username = 'bob'")
                .update();
        var before = hostContents();

        refused(
                () -> SignedIn.as("bob", "USER", () -> provisioning.create(sizedFromTemplate("bob-1", 3, 512))),
                "",
                "Over quota: Your quota allows 2 vCPUs");
        refused(
                () -> SignedIn.as("bob", "USER", () -> provisioning.create(sizedFromTemplate("bob-1", 1, 2048))),
                "",
                "Over quota: Your quota allows 1024 MiB of memory");
        assertThat(hostContents()).isEqualTo(before);

        SignedIn.as("bob", "USER", () -> provisioning.create(sizedFromTemplate("bob-1", 2, 512)))
                .join();
        refused(
                () -> SignedIn.as("bob", "USER", () -> provisioning.create(sizedFromTemplate("bob-2", 1, 256))),
                "",
                "Over quota: Your quota allows 2 vCPUs; you have 2 and this VM needs 1.");
        jdbc.sql(
                        "update app_user set quota_vms = 1, quota_vcpus = null, quota_memory_mib = null where username = 'bob'")
                .update();
        refused(
                () -> SignedIn.as("bob", "USER", () -> provisioning.create(sizedFromTemplate("bob-2", 1, 256))),
                "",
                "Over quota: Your quota allows 1 VM and you have 1. Nothing was created.");
        assertThat(hypervisor.domains()).extracting(DomainSummary::name).doesNotContain("bob-2");
    }

    @Test
    void a_stopped_vm_is_cloned_with_a_new_name_uuid_and_macs_by_admins_and_manage_holders_only() {
        var before = hostContents();
        refused(
                () -> SignedIn.as(
                        "alice",
                        "USER",
                        () -> provisioning.cloneVm(new CloneRequest(null, TEMPLATE_REF, "c", "", false))),
                "source",
                "no longer exists");
        refused(() -> provisioning.cloneVm(new CloneRequest(null, TEMPLATE_REF, "tmpl", "", false)), "name", "already");
        assertThat(hostContents()).isEqualTo(before);

        var request = new CloneRequest(UUID.randomUUID(), TEMPLATE_REF, "tmpl-copy", "a full copy", false);
        String preview = provisioning.previewClone(request).join();
        var clone = provisioning.cloneVm(request).join();

        assertThat(clone.volumes()).containsExactly("images/tmpl-copy.qcow2");
        assertThat(vm("tmpl-copy").ref().uuid()).isEqualTo(request.uuid()).isNotEqualTo(TEMPLATE);
        assertThat(mac(preview)).startsWith("52:54:00:").isNotEqualTo("52:54:00:00:00:01");
        assertThat(hypervisor.domainXml(clone.ref()).join()).contains(mac(preview));
        assertThat(provisioning.mayClone(clone.ref())).isTrue();
        assertThat(SignedIn.as(
                                "alice",
                                "USER",
                                () -> CompletableFuture.completedFuture(provisioning.mayClone(clone.ref())))
                        .join())
                .isFalse();
    }

    @Test
    void a_template_never_starts_or_reverts_while_it_is_one_as_its_clones_read_its_disk() {
        for (var action : List.of(VmAction.START, VmAction.REVERT)) {
            assertThatThrownBy(() -> vms.perform(action, TEMPLATE_REF).join())
                    .hasCauseInstanceOf(VmActionException.class)
                    .hasMessageContaining("tmpl is a template");
        }
        assertThat(hypervisor.domain(TEMPLATE_REF).orElseThrow().state()).isEqualTo(PowerState.SHUT_OFF);
        assertThat(vms.offeredActions(vm("tmpl"))).doesNotContain(VmAction.START);

        provisioning.unmarkTemplate(TEMPLATE_REF);
        assertThat(vms.offeredActions(vm("tmpl"))).contains(VmAction.START);
        try {
            vms.perform(VmAction.START, TEMPLATE_REF).join();
            awaitState(PowerState.RUNNING);
        } finally {
            hypervisor.forceOff(TEMPLATE_REF).join();
            awaitState(PowerState.SHUT_OFF);
        }
    }

    private void awaitState(PowerState state) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> hypervisor.domain(TEMPLATE_REF).orElseThrow().state() == state);
    }

    // ---- requests ----

    private static NewVmRequest fromTemplate(String name, boolean linked) {
        return new NewVmRequest(
                UUID.randomUUID(),
                HOST,
                name,
                "",
                new VmSource.CopyOf(TEMPLATE, linked),
                null,
                2,
                512,
                0,
                null,
                null,
                null,
                false);
    }

    private static NewVmRequest sizedFromTemplate(String name, int vcpus, long memoryMib) {
        var r = fromTemplate(name, true);
        return new NewVmRequest(
                r.uuid(), HOST, name, "", r.source(), null, vcpus, memoryMib, 0, null, null, null, false);
    }

    private static NewVmRequest copyOf(UUID vm) {
        var r = fromTemplate("copy", true);
        return new NewVmRequest(
                r.uuid(), HOST, "copy", "", new VmSource.CopyOf(vm, true), null, 1, 256, 0, null, null, null, false);
    }

    private static NewVmRequest named(String name) {
        var r = fromTemplate(name, true);
        return r;
    }

    private static NewVmRequest sized(int vcpus, long memoryMib) {
        return sizedFromTemplate("sized", vcpus, memoryMib);
    }

    private static NewVmRequest iso(String volume, long diskGib, String pool) {
        return new NewVmRequest(
                UUID.randomUUID(),
                HOST,
                "from-iso",
                "",
                new VmSource.IsoInstall("images", volume),
                OsVariant.LINUX,
                1,
                512,
                diskGib,
                pool,
                NetworkChoice.USER_MODE,
                Firmware.BIOS,
                false);
    }

    private static NewVmRequest importDisk(String name, String volume) {
        return new NewVmRequest(
                UUID.randomUUID(),
                HOST,
                name,
                "",
                new VmSource.ExistingDisk("images", volume),
                OsVariant.GENERIC,
                1,
                256,
                0,
                null,
                NetworkChoice.NONE,
                Firmware.BIOS,
                false);
    }

    private static NewVmRequest withDescription(NewVmRequest r, String description) {
        return copy(r, r.host(), description, r.network(), r.firmware());
    }

    private static NewVmRequest withNetwork(NewVmRequest r, String network) {
        return copy(r, r.host(), r.description(), new NetworkChoice.Libvirt(network), r.firmware());
    }

    private static NewVmRequest withFirmware(NewVmRequest r, Firmware firmware) {
        return copy(r, r.host(), r.description(), r.network(), firmware);
    }

    private static NewVmRequest onHost(NewVmRequest r, String host) {
        return copy(r, host, r.description(), r.network(), r.firmware());
    }

    /** The request with the parts the tests vary replaced: one copy of the record's thirteen, not four. */
    private static NewVmRequest copy(
            NewVmRequest r, String host, String description, NetworkChoice network, Firmware firmware) {
        return new NewVmRequest(
                r.uuid(),
                host,
                r.name(),
                description,
                r.source(),
                r.osVariant(),
                r.vcpus(),
                r.memoryMib(),
                r.diskGib(),
                r.pool(),
                network,
                firmware,
                r.start());
    }

    // ---- checks ----

    private static void refused(Supplier<? extends CompletableFuture<?>> attempt, String field, String message) {
        assertThatThrownBy(() -> attempt.get().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(ProvisioningInputException.class, refusal -> {
                    assertThat(refusal.getMessage()).contains(message);
                    assertThat(refusal.field()).isEqualTo(field);
                });
    }

    /** The host's domains and the pool's volumes, as the portal's own connection sees them. */
    private List<String> hostContents() {
        var names = hypervisor.domains().stream().map(DomainSummary::name).sorted();
        return java.util.stream.Stream.concat(names, volumes().stream()).toList();
    }

    private List<String> volumes() {
        return pool().volumes().stream().map(ProvisioningOptions.Volume::name).toList();
    }

    private ProvisioningOptions.Volume volume(String name) {
        return pool().volumes().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private ProvisioningOptions.Pool pool() {
        return provisioner.options(HOST).join().pools().stream()
                .filter(p -> p.name().equals("images"))
                .findFirst()
                .orElseThrow();
    }

    private DomainSummary vm(String name) {
        return hypervisor.domains().stream()
                .filter(vm -> vm.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not listed"));
    }

    private static String mac(String xml) {
        var matcher = java.util.regex.Pattern.compile("52:54:00:[0-9a-f:]{8}").matcher(xml);
        assertThat(matcher.find()).as("a MAC address in " + xml).isTrue();
        return matcher.group();
    }
}
