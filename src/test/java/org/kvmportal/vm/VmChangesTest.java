package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainRemoved;
import org.kvmportal.hypervisor.DomainStateChanged;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.PowerState;

class VmChangesTest {

    private final VmChanges changes = new VmChanges();
    private final DomainRef web = new DomainRef("sim", UUID.randomUUID());
    private final DomainRef db = new DomainRef("sim", UUID.randomUUID());

    @Test
    void a_view_learns_which_vms_changed_since_it_last_looked() {
        long seen = changes.version();
        changes.on(new DomainStateChanged(summary(web)));
        changes.operationsChanged(db);
        changes.on(new DomainStateChanged(summary(web)));

        var since = changes.since(seen);

        assertThat(since.everything()).isFalse();
        assertThat(since.vms()).containsExactlyInAnyOrder(web, db);
        assertThat(changes.since(since.version()).vms()).isEmpty();
    }

    @Test
    void a_removal_or_falling_far_behind_means_everything() {
        long seen = changes.version();
        changes.on(new DomainStateChanged(summary(web)));
        changes.on(new DomainRemoved(db));
        assertThat(changes.since(seen).everything()).isTrue();

        seen = changes.version();
        for (int i = 0; i < 5000; i++) {
            changes.operationsChanged(web);
        }
        assertThat(changes.since(seen).everything()).isTrue();
        assertThat(changes.since(changes.version() - 10).everything()).isFalse();
    }

    @Test
    void listeners_hear_every_change() {
        int[] heard = {0};
        var unsubscribe = changes.subscribe(() -> heard[0]++);
        changes.operationsChanged(web);
        unsubscribe.run();
        changes.operationsChanged(web);
        assertThat(heard[0]).isEqualTo(1);
    }

    private static DomainSummary summary(DomainRef ref) {
        return new DomainSummary(ref, "vm", PowerState.RUNNING, 1, 1024, 1024, true, false, false, Instant.now());
    }
}
