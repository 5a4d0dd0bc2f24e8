package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainRemoved;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.testing.TestHostXml;
import org.kvmportal.testing.TestHostXml.RunState;
import org.kvmportal.testing.TestHostXml.Vm;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * The inventory's whole-host reload (bulk statistics plus filtered listings) against its per-domain read,
 * on a libvirt test-driver host with domains in every combination the flags allow.
 */
class DomainInventoryTest {

    private static final Instant STARTED_AT = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path dir;

    private final RecordingEvents events = new RecordingEvents();
    private PortalConnect connect;
    private DomainInventory inventory;

    @BeforeEach
    void connect() throws LibvirtException {
        String uri = TestHostXml.write(
                dir.resolve("host.xml"),
                List.of(
                        new Vm("running", RunState.RUNNING, 2, 1_048_576),
                        new Vm("paused", RunState.PAUSED, 1, 524_288),
                        new Vm("off", RunState.SHUT_OFF, 4, 4_194_304),
                        new Vm("autostarted", RunState.SHUT_OFF, 1, 262_144),
                        new Vm("saved", RunState.RUNNING, 3, 786_432)));
        connect = new PortalConnect(uri);
        inventory = new DomainInventory("sim", events);
    }

    @AfterEach
    void close() throws LibvirtException {
        connect.close();
    }

    @Test
    void a_reload_reads_what_asking_each_domain_reads() throws LibvirtException {
        lookup("autostarted").setAutostart(true);
        lookup("saved").managedSave();
        connect.domainCreateXML(transientDomainXml(), 0).free();

        inventory.reload(connect);

        var perDomain = new DomainInventory("sim", event -> {});
        for (var domain : inventory.all(true)) {
            perDomain.refresh(connect, domain.ref().uuid());
        }
        assertThat(sorted(inventory.all(true))).isEqualTo(sorted(perDomain.all(true)));
        assertThat(find("running"))
                .extracting(
                        DomainSummary::state,
                        DomainSummary::vcpus,
                        DomainSummary::memoryKiB,
                        DomainSummary::persistent,
                        DomainSummary::autostart,
                        DomainSummary::managedSave)
                .containsExactly(PowerState.RUNNING, 2, 1_048_576L, true, false, false);
        assertThat(find("paused").state()).isEqualTo(PowerState.PAUSED);
        assertThat(find("autostarted").autostart()).isTrue();
        assertThat(find("saved"))
                .extracting(DomainSummary::state, DomainSummary::managedSave)
                .containsExactly(PowerState.SHUT_OFF, true);
        assertThat(find("transient"))
                .extracting(DomainSummary::state, DomainSummary::persistent, DomainSummary::vcpus)
                .containsExactly(PowerState.RUNNING, false, 1);
    }

    @Test
    void a_reload_notices_changes_made_behind_its_back() throws Exception {
        inventory.reload(connect);
        var removed = find("off").ref();

        lookup("off").undefine();
        lookup("running").destroy();
        inventory.reload(connect);

        assertThat(inventory.find(removed.uuid(), true)).isEmpty();
        events.await(DomainRemoved.class, event -> event.ref().equals(removed), java.time.Duration.ofSeconds(1));
        // The test driver's bulk statistics carry no sizes: they are read again when the state changed.
        assertThat(find("running"))
                .extracting(DomainSummary::state, DomainSummary::vcpus, DomainSummary::memoryKiB)
                .containsExactly(PowerState.SHUT_OFF, 2, 1_048_576L);
    }

    @Test
    void uptime_counts_from_a_start_the_portal_saw_and_only_for_that_run() throws LibvirtException {
        inventory.reload(connect);
        assertThat(find("running").runningSince())
                .as("running before the portal looked: unknown")
                .isNull();

        Domain off = lookup("off");
        off.create();
        inventory.started(uuid(off), off.getID(), STARTED_AT);
        inventory.refresh(connect, uuid(off));
        assertThat(find("off").runningSince()).isEqualTo(STARTED_AT);
        inventory.reload(connect);
        assertThat(find("off").runningSince()).as("kept by a reload").isEqualTo(STARTED_AT);

        off.destroy();
        inventory.reload(connect);
        assertThat(find("off").runningSince()).isNull();
        off.create();
        inventory.reload(connect);
        assertThat(find("off").runningSince())
                .as("started again, but the portal did not see this start")
                .isNull();
    }

    private Domain lookup(String name) throws LibvirtException {
        return connect.domainLookupByName(name);
    }

    private static UUID uuid(Domain domain) throws LibvirtException {
        return UUID.fromString(domain.getUUIDString());
    }

    private DomainSummary find(String name) {
        return inventory.all(true).stream()
                .filter(domain -> domain.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the inventory"));
    }

    private static List<DomainSummary> sorted(List<DomainSummary> domains) {
        return domains.stream()
                .sorted(Comparator.comparing(DomainSummary::name))
                .toList();
    }

    private static String transientDomainXml() {
        return "<domain type='test'><name>transient</name><memory>131072</memory><vcpu>1</vcpu>"
                + "<os><type>hvm</type></os></domain>";
    }
}
