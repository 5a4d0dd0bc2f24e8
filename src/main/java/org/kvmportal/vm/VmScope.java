package org.kvmportal.vm;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.kvmportal.access.AccountIdentity;
import org.kvmportal.access.Role;
import org.kvmportal.hypervisor.DomainRef;

/**
 * What one person may do to which VM, decided once per request from the database as it is now.
 *
 * <ul>
 *   <li>Admins: everything on every VM, unassigned ones included.
 *   <li>Help desk: watch, use the console, operate and revert every VM assigned to someone (support), no
 *       configuration changes; the UI asks them for a reason, and the service requires one.
 *   <li>Everyone else (users, educators): what their own grants and their groups' grants give, the highest
 *       level winning. Educators will also get their labs' VMs when labs exist.
 * </ul>
 */
final class VmScope {

    private static final Set<VmRight> SUPPORT =
            EnumSet.of(VmRight.SEE, VmRight.WATCH_CONSOLE, VmRight.USE_CONSOLE, VmRight.OPERATE, VmRight.REVERT);

    private final String username;
    private final boolean admin;
    private final Map<DomainRef, VmAccessLevel> levels;
    /** VMs the person supports as help desk; empty for everyone else. */
    private final Set<DomainRef> supported;

    private VmScope(String username, boolean admin, Map<DomainRef, VmAccessLevel> levels, Set<DomainRef> supported) {
        this.username = username;
        this.admin = admin;
        this.levels = Map.copyOf(levels);
        this.supported = Set.copyOf(supported);
    }

    static VmScope of(AccountIdentity who, VmGrants grants) {
        boolean admin = who.has(Role.ADMIN);
        if (admin) {
            return new VmScope(who.username(), true, Map.of(), Set.of());
        }
        return new VmScope(
                who.username(), false, grants.levelsOf(who), who.has(Role.HELPDESK) ? grants.assigned() : Set.of());
    }

    /** No account (signed out, disabled, deleted): no rights at all. */
    static VmScope nobody() {
        return new VmScope(null, false, Map.of(), Set.of());
    }

    String username() {
        return username;
    }

    boolean admin() {
        return admin;
    }

    /** The VMs seen through grants and support; admins see every VM besides. */
    Set<DomainRef> assignedAndSupported() {
        var vms = new HashSet<>(levels.keySet());
        vms.addAll(supported);
        return vms;
    }

    boolean sees(DomainRef vm) {
        return admin || levels.containsKey(vm) || supported.contains(vm);
    }

    boolean has(VmRight right, DomainRef vm) {
        return rights(vm).contains(right);
    }

    Set<VmRight> rights(DomainRef vm) {
        if (admin) {
            return EnumSet.allOf(VmRight.class);
        }
        var rights = EnumSet.noneOf(VmRight.class);
        var level = levels.get(vm);
        if (level != null) {
            rights.addAll(rightsOf(level));
        }
        if (supported.contains(vm)) {
            rights.addAll(SUPPORT);
        }
        return rights;
    }

    /** Whether the right comes only from the help-desk role, not from the person's own grants. */
    boolean supportOnly(VmRight right, DomainRef vm) {
        var level = levels.get(vm);
        return !admin
                && supported.contains(vm)
                && (level == null || !rightsOf(level).contains(right));
    }

    /** The person's own level on the VM, if it is assigned to them or their groups. */
    VmAccessLevel level(DomainRef vm) {
        return levels.get(vm);
    }

    static Set<VmRight> rightsOf(VmAccessLevel level) {
        var rights = EnumSet.of(VmRight.SEE, VmRight.WATCH_CONSOLE);
        if (level.includes(VmAccessLevel.CONSOLE)) {
            rights.add(VmRight.USE_CONSOLE);
        }
        if (level.includes(VmAccessLevel.OPERATE)) {
            rights.add(VmRight.OPERATE);
            rights.add(VmRight.REVERT);
        }
        if (level.includes(VmAccessLevel.MANAGE)) {
            rights.add(VmRight.MANAGE);
        }
        return rights;
    }
}
