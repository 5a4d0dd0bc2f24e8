package org.kvmportal.vm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.kvmportal.access.Accounts;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The demo profile's VM assignments, so that each demo user sees what their role and level give them: alice
 * operates demo-bravo (or the simulated host's "test"), bob uses demo-alpha's console, demo-charlie is
 * unassigned (admins only). Only VMs nobody has been given yet are assigned.
 */
@Component
@Profile("demo")
class DemoAssignments {

    private static final Logger log = LoggerFactory.getLogger(DemoAssignments.class);
    private static final Duration WAIT_FOR_HOSTS = Duration.ofSeconds(15);

    private record Assignment(String vm, String username, VmAccessLevel level) {}

    private static final List<Assignment> ASSIGNMENTS = List.of(
            new Assignment("demo-bravo", "alice", VmAccessLevel.OPERATE),
            new Assignment("test", "alice", VmAccessLevel.OPERATE),
            new Assignment("demo-alpha", "bob", VmAccessLevel.CONSOLE));

    private final Hypervisor hypervisor;
    private final VmGrants grants;
    private final Accounts accounts;

    DemoAssignments(Hypervisor hypervisor, VmGrants grants, Accounts accounts) {
        this.hypervisor = hypervisor;
        this.grants = grants;
        this.accounts = accounts;
    }

    /**
     * Runs before the portal reports itself ready, so that the first demo sign-in already sees its VMs: waits
     * until every host has answered its first connection attempt (at most {@link #WAIT_FOR_HOSTS}) and a
     * round of listing has passed, then assigns what exists.
     */
    @EventListener(ApplicationReadyEvent.class)
    void assign() {
        long deadline = System.nanoTime() + WAIT_FOR_HOSTS.toNanos();
        var pending = new ArrayList<>(ASSIGNMENTS);
        int settledRounds = 0;
        while (!pending.isEmpty() && System.nanoTime() < deadline && settledRounds < 3) {
            pending.removeIf(this::tryAssign);
            boolean settled = hypervisor.hosts().stream().noneMatch(host -> host.state() == HostState.CONNECTING);
            settledRounds = settled ? settledRounds + 1 : 0;
            sleepQuietly();
        }
    }

    /** @return whether the assignment is settled (made, or the VM was assigned already) */
    private boolean tryAssign(Assignment assignment) {
        var vm = hypervisor.domains().stream()
                .filter(domain -> domain.name().equals(assignment.vm()))
                .map(DomainSummary::ref)
                .findFirst();
        var user = accounts.userId(assignment.username());
        if (vm.isEmpty() || user.isEmpty()) {
            return false;
        }
        if (!grants.isAssigned(vm.get())) {
            grants.grantToUser(vm.get(), user.get(), assignment.level(), "demo");
            log.info(
                    "Assigned demo VM {} to {} ({})",
                    assignment.vm(),
                    assignment.username(),
                    assignment.level().label());
        }
        return true;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
