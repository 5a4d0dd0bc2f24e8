package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kvmportal.testing.MigrationHosts.SECOND;
import static org.kvmportal.testing.MigrationHosts.state;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStateChanged;
import org.kvmportal.hypervisor.MigrationCancelledException;
import org.kvmportal.hypervisor.MigrationMode;
import org.kvmportal.hypervisor.MigrationOptions;
import org.kvmportal.hypervisor.MigrationProgress;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.testing.MigrationHosts;
import org.kvmportal.testing.MigrationHosts.Guest;
import org.kvmportal.testing.Virsh;

/**
 * Real migrations of a throwaway guest between the machine's libvirtd ("local") and a second libvirtd on the
 * same machine ("second", {@code scripts/second-host.sh}). Both see the same disk file: shared storage that
 * libvirt cannot recognise as such, hence {@code assume-shared-storage}.
 */
class LibvirtMigratorIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final MigrationOptions LIVE = new MigrationOptions(MigrationMode.LIVE, false, 0);
    /** Slow enough that a migration of the 128 MiB guest takes many seconds: time to watch and cancel it. */
    private static final MigrationOptions LIVE_SLOW = new MigrationOptions(MigrationMode.LIVE, false, 1);

    private final RecordingEvents events = new RecordingEvents();
    private final List<MigrationProgress> progress = new CopyOnWriteArrayList<>();
    private LibvirtHypervisor hypervisor;
    private LibvirtMigrator migrator;
    private Guest guest;

    @BeforeEach
    void connect() throws InterruptedException {
        // Before each test, not once: other tests stop the machine's libvirt daemons now and then.
        MigrationHosts.startSecondHost();
        var hosts = new LinkedHashMap<String, String>();
        hosts.put("local", Virsh.SYSTEM);
        hosts.put("second", SECOND);
        hypervisor = new LibvirtHypervisor(hosts, events, Clock.systemUTC());
        migrator = new LibvirtMigrator(hypervisor, Duration.ofMinutes(5), true);
        for (String host : hosts.keySet()) {
            events.await(
                    HostStateChanged.class,
                    e -> e.status().name().equals(host) && e.status().state() == HostState.CONNECTED,
                    WAIT);
        }
    }

    @AfterEach
    void cleanUp() {
        if (guest != null) {
            guest.close();
        }
        migrator.close();
        hypervisor.close();
    }

    @Test
    void a_running_vm_moves_live_to_the_second_host_and_back_with_progress() throws Exception {
        var vm = runningGuest();

        var moved = migrator.migrate(
                        vm.ref(), "second", new MigrationOptions(MigrationMode.LIVE, false, 8), progress::add)
                .result()
                .get(3, TimeUnit.MINUTES);

        assertThat(moved).isEqualTo(new DomainRef("second", vm.ref().uuid()));
        assertThat(state(SECOND, guest.name())).isEqualTo("running");
        assertThat(state(Virsh.SYSTEM, guest.name())).isEqualTo("absent");
        assertThat(hypervisor.domain(moved))
                .get()
                .extracting(DomainSummary::state)
                .isEqualTo(PowerState.RUNNING);
        assertThat(progress).as("progress reported while memory was copied").isNotEmpty();
        assertThat(progress).anySatisfy(p -> {
            assertThat(p.processedBytes()).isPositive();
            assertThat(p.percent()).isBetween(0, 100);
        });
        awaitGone(vm.ref());

        var back = migrator.migrate(moved, "local", LIVE, p -> {}).result().get(3, TimeUnit.MINUTES);

        assertThat(back).isEqualTo(vm.ref());
        assertThat(state(Virsh.SYSTEM, guest.name())).isEqualTo("running");
        assertThat(state(SECOND, guest.name())).isEqualTo("absent");
        // persistent again where it came from (PERSIST_DEST), and nothing left behind on the second host
        assertThat(MigrationHosts.virsh(Virsh.SYSTEM, "dominfo", guest.name())).containsPattern("Persistent: +yes");
    }

    @Test
    void a_cancelled_migration_leaves_the_vm_running_on_the_source() throws Exception {
        var vm = runningGuest();
        var migration = migrator.migrate(vm.ref(), "second", LIVE_SLOW, progress::add);
        awaitProgress();

        migration.cancel();

        assertThatThrownBy(() -> migration.result().get(1, TimeUnit.MINUTES))
                .cause()
                .isInstanceOf(MigrationCancelledException.class)
                .hasMessage("The migration of " + guest.name() + " was cancelled; it stays on host local.");
        assertThat(state(Virsh.SYSTEM, guest.name())).isEqualTo("running");
        assertThat(state(SECOND, guest.name())).isEqualTo("absent");
        // The host's other calls went on during the migration, and the VM is usable afterwards.
        hypervisor.pause(vm.ref()).get(30, TimeUnit.SECONDS);
        hypervisor.resume(vm.ref()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void a_migration_that_runs_out_of_time_is_stopped_and_the_vm_stays() throws Exception {
        var vm = runningGuest();
        var impatient = new LibvirtMigrator(hypervisor, Duration.ofSeconds(3), true);
        try {
            var migration = impatient.migrate(vm.ref(), "second", LIVE_SLOW, progress::add);

            assertThatThrownBy(() -> migration.result().get(2, TimeUnit.MINUTES))
                    .cause()
                    .isInstanceOf(MigrationCancelledException.class)
                    .hasMessageContaining("took longer than 3 s and was stopped; it stays on host local");
            assertThat(state(Virsh.SYSTEM, guest.name())).isEqualTo("running");
            assertThat(state(SECOND, guest.name())).isEqualTo("absent");
        } finally {
            impatient.close();
        }
    }

    @Test
    void a_shut_off_vm_moves_offline_and_back() throws Exception {
        guest = MigrationHosts.define(Virsh.SYSTEM);
        var vm = awaitListed("local");
        var offline = new MigrationOptions(MigrationMode.OFFLINE, false, 0);

        var moved = migrator.migrate(vm.ref(), "second", offline, progress::add)
                .result()
                .get(1, TimeUnit.MINUTES);

        assertThat(state(SECOND, guest.name())).isEqualTo("shut off");
        assertThat(state(Virsh.SYSTEM, guest.name())).isEqualTo("absent");
        assertThat(hypervisor.domain(moved))
                .get()
                .extracting(DomainSummary::state)
                .isEqualTo(PowerState.SHUT_OFF);

        migrator.migrate(moved, "local", offline, p -> {}).result().get(1, TimeUnit.MINUTES);

        assertThat(state(Virsh.SYSTEM, guest.name())).isEqualTo("shut off");
        assertThat(state(SECOND, guest.name())).isEqualTo("absent");
    }

    @Test
    void without_assumed_shared_storage_libvirt_refuses_a_local_disk_and_the_portal_says_why() throws Exception {
        var vm = runningGuest();
        var careful = new LibvirtMigrator(hypervisor, Duration.ofMinutes(1), false);
        try {
            assertThatThrownBy(() -> careful.migrate(vm.ref(), "second", LIVE, p -> {})
                            .result()
                            .join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .hasMessageContaining("cannot tell whether that host sees the same disk files")
                    .hasMessageContaining("kvmportal.migration.assume-shared-storage=true");
            assertThat(state(Virsh.SYSTEM, guest.name())).isEqualTo("running");
        } finally {
            careful.close();
        }
    }

    @Test
    void the_mode_must_match_the_vms_state_when_the_move_starts() throws Exception {
        guest = MigrationHosts.define(Virsh.SYSTEM);
        var vm = awaitListed("local");

        assertThatThrownBy(() -> migrator.migrate(vm.ref(), "second", LIVE, p -> {})
                        .result()
                        .join())
                .cause()
                .hasMessage(
                        "Could not move " + guest.name() + " live: it is no longer running. Move it offline instead.");
        assertThat(state(Virsh.SYSTEM, guest.name())).isEqualTo("shut off");
    }

    private DomainSummary runningGuest() throws InterruptedException {
        guest = MigrationHosts.define(Virsh.SYSTEM);
        MigrationHosts.virsh(Virsh.SYSTEM, "start", guest.name());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            var vm = find("local");
            if (vm != null && vm.state() == PowerState.RUNNING) {
                return vm;
            }
            assertThat(System.nanoTime()).as("guest running in the inventory").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private DomainSummary awaitListed(String host) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (find(host) == null) {
            assertThat(System.nanoTime()).as("guest listed").isLessThan(deadline);
            Thread.sleep(50);
        }
        return find(host);
    }

    private DomainSummary find(String host) {
        return hypervisor.domains().stream()
                .filter(d -> d.ref().host().equals(host) && d.name().equals(guest.name()))
                .findFirst()
                .orElse(null);
    }

    private void awaitGone(DomainRef ref) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (hypervisor.domain(ref).isPresent()) {
            assertThat(System.nanoTime()).as("source inventory dropped the VM").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void awaitProgress() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (progress.isEmpty()) {
            assertThat(System.nanoTime()).as("first progress report").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
