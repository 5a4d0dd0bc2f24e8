package org.kvmportal.vm;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.kvmportal.access.Accounts;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.stereotype.Component;

/**
 * Who may do what to which VM (see {@link VmScope} for the rules), answered from the database's current
 * view of the user rather than the session's, so that an open console can be re-checked while it runs and
 * a withdrawn grant takes effect at once.
 */
@Component
public class VmAccessPolicy {

    private final Accounts accounts;
    private final VmGrants grants;
    private final Hypervisor hypervisor;

    VmAccessPolicy(Accounts accounts, VmGrants grants, Hypervisor hypervisor) {
        this.accounts = accounts;
        this.grants = grants;
        this.hypervisor = hypervisor;
    }

    /** The named user's rights on a VM that exists; none on one that does not. */
    public Set<VmRight> rights(String username, DomainRef vm) {
        if (hypervisor.domain(vm).isEmpty()) {
            return Set.of();
        }
        return scope(username).rights(vm);
    }

    public ConsoleAccess consoleAccess(String username, DomainRef vm) {
        var rights = rights(username, vm);
        if (rights.contains(VmRight.USE_CONSOLE)) {
            return ConsoleAccess.INTERACTIVE;
        }
        return rights.contains(VmRight.WATCH_CONSOLE) ? ConsoleAccess.VIEW_ONLY : ConsoleAccess.NONE;
    }

    /** The user's scope read from the database now: for actions and consoles. */
    VmScope scope(String username) {
        return accounts.actingIdentity(username)
                .map(identity -> VmScope.of(identity, grants))
                .orElseGet(VmScope::nobody);
    }

    /**
     * The user's scope at most {@link #RECENT} old: for lists and reads, which an open VM list repeats every
     * second and which must not cost several database queries each time. Grant changes clear it at once.
     */
    VmScope recentScope(String username) {
        if (username == null) {
            return VmScope.nobody();
        }
        long now = System.nanoTime();
        var cached = recent.get(username);
        if (cached != null && now - cached.readAt() < RECENT.toNanos()) {
            return cached.scope();
        }
        if (recent.size() > MAX_RECENT) {
            recent.values().removeIf(entry -> now - entry.readAt() >= RECENT.toNanos());
        }
        var scope = scope(username);
        recent.put(username, new Recent(scope, now));
        return scope;
    }

    /** Called after any grant changes. */
    void forgetRecent() {
        recent.clear();
    }

    private static final Duration RECENT = Duration.ofSeconds(1);
    private static final int MAX_RECENT = 10_000;

    private record Recent(VmScope scope, long readAt) {}

    private final Map<String, Recent> recent = new ConcurrentHashMap<>();
}
