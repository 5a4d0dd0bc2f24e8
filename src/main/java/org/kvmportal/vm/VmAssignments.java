package org.kvmportal.vm;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.kvmportal.access.Accounts;
import org.kvmportal.audit.AuditEntry;
import org.kvmportal.audit.AuditLog;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Who a VM is assigned to, and at which level: read by staff, changed by admins only. */
@Service
@PreAuthorize("hasRole('ADMIN')")
public class VmAssignments {

    private final CurrentUser caller;

    private final VmGrants grants;
    private final Accounts accounts;
    private final Hypervisor hypervisor;
    private final VmAccessPolicy policy;
    private final AuditLog audit;

    VmAssignments(
            VmGrants grants,
            Accounts accounts,
            Hypervisor hypervisor,
            VmAccessPolicy policy,
            AuditLog audit,
            CurrentUser caller) {
        this.caller = caller;
        this.grants = grants;
        this.accounts = accounts;
        this.hypervisor = hypervisor;
        this.policy = policy;
        this.audit = audit;
    }

    /** Each assigned VM's users and groups, for the owner column. */
    @PreAuthorize("hasAnyRole('ADMIN', 'HELPDESK')")
    public Map<DomainRef, String> owners() {
        return grants.all().stream()
                .sorted(Comparator.comparing((VmGrant grant) -> grant.grantee().label()))
                .collect(Collectors.groupingBy(
                        VmGrant::vm, Collectors.mapping(grant -> grant.grantee().label(), Collectors.joining(", "))));
    }

    public List<VmGrant> grantsOn(DomainRef vm) {
        return grants.on(vm);
    }

    /** The VMs assigned to this user directly (group grants are listed on the group). */
    public List<VmGrant> grantsOfUser(String username) {
        return grants.ofUser(username);
    }

    public List<String> usernames() {
        return accounts.usernames();
    }

    public List<String> groupNames() {
        return accounts.groupNames();
    }

    /**
     * Gives each VM to the user or group at this level, replacing a level it had. Nothing changes when the
     * user or group or any VM does not exist.
     */
    @Transactional
    public void assign(Collection<DomainRef> vms, Grantee grantee, VmAccessLevel level) {
        if (level == null) {
            throw new VmActionException("Choose an access level.");
        }
        long id = idOf(grantee);
        var found = existing(vms);
        String by = caller.username();
        for (var vm : found) {
            if (grantee instanceof Grantee.User) {
                grants.grantToUser(vm.ref(), id, level, by);
            } else {
                grants.grantToGroup(vm.ref(), id, level, by);
            }
            record(vm, "PERMISSION_GRANTED", grantee.label() + ": " + level.label());
        }
        policy.forgetRecent();
    }

    /** Withdraws the user's or group's access to each VM; VMs it had no access to are left alone. */
    @Transactional
    public void revoke(Collection<DomainRef> vms, Grantee grantee) {
        long id = idOf(grantee);
        for (var vm : existingOrKnown(vms)) {
            boolean removed =
                    grantee instanceof Grantee.User ? grants.revokeFromUser(vm, id) : grants.revokeFromGroup(vm, id);
            if (removed) {
                record(hypervisor.domain(vm).orElse(null), vm, "PERMISSION_REVOKED", grantee.label());
            }
        }
        policy.forgetRecent();
    }

    private long idOf(Grantee grantee) {
        if (grantee == null || grantee.name() == null || grantee.name().isBlank()) {
            throw new VmActionException("Choose a user or group.");
        }
        return switch (grantee) {
            case Grantee.User user ->
                accounts.userId(user.name())
                        .orElseThrow(() -> new VmActionException("There is no user named " + user.name() + "."));
            case Grantee.Group group ->
                accounts.groupId(group.name())
                        .orElseThrow(() -> new VmActionException("There is no group named " + group.name() + "."));
        };
    }

    private List<DomainSummary> existing(Collection<DomainRef> vms) {
        if (vms.isEmpty()) {
            throw new VmActionException("Choose at least one virtual machine.");
        }
        var found = vms.stream().flatMap(vm -> hypervisor.domain(vm).stream()).toList();
        if (found.size() != vms.size()) {
            throw new VmActionException("A chosen virtual machine no longer exists; nothing was assigned.");
        }
        return found;
    }

    /** Grants outlive the VMs they name (a deleted domain's grants can still be withdrawn). */
    private static Collection<DomainRef> existingOrKnown(Collection<DomainRef> vms) {
        if (vms.isEmpty()) {
            throw new VmActionException("Choose at least one virtual machine.");
        }
        return vms;
    }

    private void record(DomainSummary vm, String action, String detail) {
        record(vm, vm.ref(), action, detail);
    }

    private void record(DomainSummary vm, DomainRef ref, String action, String detail) {
        String target = ref.host() + "/" + (vm == null ? ref.uuid() : vm.name() + " (" + ref.uuid() + ")");
        audit.record(AuditEntry.of(audit.actor(), action, target, ref, null, "SUCCESS", detail));
    }
}
