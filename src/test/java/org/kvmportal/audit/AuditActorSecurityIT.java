package org.kvmportal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.access.GroupAdministration;
import org.kvmportal.access.NewUser;
import org.kvmportal.access.PasswordChange;
import org.kvmportal.access.Role;
import org.kvmportal.access.UserAdministration;
import org.kvmportal.host.HostService;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.SnapshotKind;
import org.kvmportal.hypervisor.VmSource;
import org.kvmportal.hypervisor.VolumeFormat;
import org.kvmportal.network.NetworkService;
import org.kvmportal.provisioning.NewVmRequest;
import org.kvmportal.provisioning.ProvisioningService;
import org.kvmportal.storage.StorageService;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.vm.Grantee;
import org.kvmportal.vm.VmAccessLevel;
import org.kvmportal.vm.VmAction;
import org.kvmportal.vm.VmAssignments;
import org.kvmportal.vm.VmEditing;
import org.kvmportal.vm.VmMigration;
import org.kvmportal.vm.VmRemoval;
import org.kvmportal.vm.VmService;
import org.kvmportal.vm.VmSnapshots;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Every kind of audited action, through the services as a view calls them (a signed-in user, an HTTP request
 * bound to the thread), on a simulated host: each row must name who, with which role, from which address,
 * though most of them are written on libvirt's threads after the request is gone. The portal's own rows (the
 * retention purge) name the portal, role {@code SYSTEM}, client {@code -}. Consoles are covered over real
 * WebSockets by {@code ConsoleRefusalSecurityIT}.
 */
@SpringBootTest
class AuditActorSecurityIT {

    private static final String CLIENT = "203.0.113.77";
    private static final String HOST = "sim";
    private static final UUID WORK = UUID.fromString("a0000000-0000-0000-0000-0000000000a1");
    private static final UUID TEMPLATE = UUID.fromString("a0000000-0000-0000-0000-0000000000b2");

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        var file = dir.resolve("host.xml");
        try {
            Files.writeString(file, HOST_XML);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("kvmportal.hosts[0].name", () -> HOST);
        registry.add("kvmportal.hosts[0].uri", () -> "test://" + file.toAbsolutePath());
        registry.add("kvmportal.data-dir", () -> dir.resolve("data").toString());
    }

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    VmService vms;

    @Autowired
    VmEditing editing;

    @Autowired
    VmSnapshots snapshots;

    @Autowired
    VmAssignments assignments;

    @Autowired
    VmMigration migration;

    @Autowired
    VmRemoval removal;

    @Autowired
    ProvisioningService provisioning;

    @Autowired
    StorageService storage;

    @Autowired
    NetworkService networks;

    @Autowired
    HostService hosts;

    @Autowired
    UserAdministration users;

    @Autowired
    GroupAdministration groups;

    @Autowired
    PasswordChange passwords;

    @Autowired
    AuditLog audit;

    @Autowired
    AuditRetention retention;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void every_audit_row_of_every_kind_names_who_with_which_role_from_where() throws Exception {
        new TestAccounts(jdbc).user("audit-admin", "ADMIN");
        var request = new MockHttpServletRequest();
        request.setRemoteAddr(CLIENT);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        awaitConnected();
        var work = new DomainRef(HOST, WORK);
        var template = new DomainRef(HOST, TEMPLATE);

        signIn(request);
        as("audit-admin", "ADMIN", () -> {
            vms.perform(VmAction.START, work).join();
            vms.perform(VmAction.FORCE_OFF, work).join();
            vms.perform(VmAction.AUTOSTART_ON, work).join();
            editing.setDescription(work, "audited").join();
            editing.setProcessorsAndMemory(work, 1, 2, 256L, 512L).join();
            editing.defineXml(work, editing.xmlForEditing(work).join()).join();
            snapshots.create(work, "audit-snap", "", SnapshotKind.FULL).join();
            vms.markClean(work, "audit-snap").join();
            snapshots.delete(work, "audit-snap").join();
            migration
                    .migrate(work, "nowhere", false, 0, progress -> {})
                    .exceptionally(refused -> null)
                    .join();

            provisioning.markTemplate(template, true);
            var created = provisioning.create(fromTemplate("audit-web")).join();
            provisioning.unmarkTemplate(template);
            removal.delete(created.ref(), true).join();

            storage.createVolume(HOST, "images", "audit.qcow2", VolumeFormat.QCOW2, 1L)
                    .join();
            // the test driver cannot resize: a failure, audited like a success
            storage.resizeVolume(HOST, "images", "audit.qcow2", 2L)
                    .exceptionally(unsupported -> null)
                    .join();
            storage.deleteVolume(HOST, "images", "audit.qcow2").join();
            networks.setAutostart(HOST, "lab", true).join();
            networks.stop(HOST, "lab").join();
            networks.start(HOST, "lab").join();
            networks.defineNat(HOST, "kp-audit", "192.168.77.1/24", "192.168.77.100", "192.168.77.200")
                    .join();
            hosts.add("lab-2", "test:///default", false).join();
            hosts.remove("lab-2");

            users.create(new NewUser("audit-carol", "Carol", null, Set.of(Role.USER), "first-pass-okay-1"));
            assignments.assign(List.of(work), new Grantee.User("audit-carol"), VmAccessLevel.OPERATE);
            assignments.revoke(List.of(work), new Grantee.User("audit-carol"));
            long group = groups.create("audit-group", "");
            groups.addMember(group, "audit-carol");
            return null;
        });
        as("audit-carol", "USER", () -> {
            passwords.change("first-pass-okay-1", "second-pass-okay-2");
            return null;
        });
        as("audit-admin", "ADMIN", () -> {
            users.resetPassword("audit-carol", "temporary-pass-3");
            users.setEnabled("audit-carol", false);
            audit.exportCsv(AuditQuery.ALL, new StringWriter());
            return null;
        });
        // Scheduled, on a thread of its own: the portal's own entry.
        Thread.ofPlatform().start(() -> retention.purge(Instant.now())).join();

        var rows = jdbc.sql("select username, user_role, client_address, action from audit_event")
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
        assertThat(rows).extracting(Row::action).contains(EVERY_KIND);
        // Rows of people first: on a libvirt or audit thread the request and the security context are gone.
        assertThat(rows).filteredOn(row -> !Actor.SYSTEM.equals(row.role())).allSatisfy(row -> {
            assertThat(row.username()).as(row.action() + " user").isNotBlank();
            assertThat(row.role()).as(row.action() + " role").isNotBlank();
            assertThat(row.client()).as(row.action() + " client").isEqualTo(CLIENT);
        });
        var portal =
                rows.stream().filter(row -> Actor.SYSTEM.equals(row.role())).toList();
        assertThat(portal)
                .as("the portal's own rows")
                .containsExactly(new Row(Actor.PORTAL, Actor.SYSTEM, Actor.NO_CLIENT, "AUDIT_PURGED"));
        assertThat(rows)
                .filteredOn(row -> row.action().equals("SIGN_IN"))
                .extracting(Row::username, Row::role)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("audit-admin", "ADMIN"),
                        org.assertj.core.groups.Tuple.tuple("not-a-user", Actor.ANONYMOUS));
        assertThat(rows)
                .filteredOn(row -> row.action().equals("PASSWORD_CHANGED"))
                .extracting(Row::username, Row::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("audit-carol", "USER"));
    }

    /** An action of each kind the services audit (console sessions: ConsoleRefusalSecurityIT). */
    private static final String[] EVERY_KIND = {
        "SIGN_IN",
        "VM_START",
        "VM_FORCE_OFF",
        "VM_AUTOSTART_ON",
        "VM_DESCRIPTION",
        "VM_EDIT_CPU_MEMORY",
        "VM_XML_DEFINE",
        "VM_SNAPSHOT_CREATE",
        "VM_CLEAN_STATE_MARKED",
        "VM_SNAPSHOT_DELETE",
        "VM_MIGRATE",
        "TEMPLATE_MARKED",
        "VM_CREATED",
        "TEMPLATE_UNMARKED",
        "VM_DELETE",
        "VOLUME_CREATE",
        "VOLUME_RESIZE",
        "VOLUME_DELETE",
        "NETWORK_AUTOSTART_ON",
        "NETWORK_STOP",
        "NETWORK_START",
        "NETWORK_DEFINE",
        "HOST_ADD",
        "HOST_REMOVE",
        "USER_CREATED",
        "PERMISSION_GRANTED",
        "PERMISSION_REVOKED",
        "GROUP_CREATED",
        "GROUP_MEMBER_ADDED",
        "PASSWORD_CHANGED",
        "PASSWORD_RESET",
        "USER_DISABLED",
        "AUDIT_EXPORTED",
        "AUDIT_PURGED"
    };

    private record Row(String username, String role, String client, String action) {}

    /** Sign-ins as Spring Security reports them: a good one and a bad one, from the request's address. */
    private void signIn(MockHttpServletRequest request) {
        var good = UsernamePasswordAuthenticationToken.authenticated(
                "audit-admin", null, AuthorityUtils.createAuthorityList("ROLE_ADMIN"));
        good.setDetails(new WebAuthenticationDetails(request));
        events.publishEvent(new AuthenticationSuccessEvent(good));
        var bad = UsernamePasswordAuthenticationToken.unauthenticated("not-a-user", "guess");
        bad.setDetails(new WebAuthenticationDetails(request));
        events.publishEvent(
                new AuthenticationFailureBadCredentialsEvent(bad, new BadCredentialsException("Bad credentials")));
    }

    private static <T> T as(String username, String role, Supplier<T> work) {
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                username, null, AuthorityUtils.createAuthorityList("ROLE_" + role)));
        SecurityContextHolder.setContext(context);
        try {
            return work.get();
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private void awaitConnected() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hypervisor.hosts().getFirst().state() != HostState.CONNECTED
                || hypervisor.domains().size() < 2) {
            assertThat(System.nanoTime()).as("simulated host listed").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static NewVmRequest fromTemplate(String name) {
        return new NewVmRequest(
                UUID.randomUUID(),
                HOST,
                name,
                "",
                new VmSource.CopyOf(TEMPLATE, true),
                null,
                1,
                256,
                0,
                null,
                null,
                null,
                false);
    }

    private static final String HOST_XML = """
            <node>
              <domain type='test'>
                <name>audit-work</name>
                <uuid>%s</uuid>
                <memory>262144</memory>
                <vcpu>1</vcpu>
                <os><type>hvm</type></os>
                <devices>
                  <disk type='volume' device='disk'>
                    <driver name='qemu' type='qcow2'/>
                    <source pool='images' volume='work.qcow2'/>
                    <target dev='vda' bus='virtio'/>
                  </disk>
                </devices>
                <test:runstate xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>5</test:runstate>
              </domain>
              <domain type='test'>
                <name>audit-template</name>
                <uuid>%s</uuid>
                <memory>262144</memory>
                <vcpu>1</vcpu>
                <os><type>hvm</type></os>
                <devices>
                  <disk type='volume' device='disk'>
                    <driver name='qemu' type='qcow2'/>
                    <source pool='images' volume='tmpl.qcow2'/>
                    <target dev='vda' bus='virtio'/>
                  </disk>
                </devices>
                <test:runstate xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>5</test:runstate>
              </domain>
              <network><name>lab</name><bridge name='virbr9'/><forward/>
                <ip address='192.168.99.1' netmask='255.255.255.0'/></network>
              <pool type='dir'>
                <name>images</name>
                <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53aa</uuid>
                <capacity>107374182400</capacity><allocation>0</allocation><available>107374182400</available>
                <target><path>/images</path></target>
                <volume type='file'><name>work.qcow2</name><capacity>67108864</capacity>
                  <target><format type='qcow2'/></target></volume>
                <volume type='file'><name>tmpl.qcow2</name><capacity>67108864</capacity>
                  <target><format type='qcow2'/></target></volume>
              </pool>
            </node>
            """.formatted(WORK, TEMPLATE);
}
