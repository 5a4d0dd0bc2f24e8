package org.kvmportal.vm;

import org.kvmportal.access.Accounts;
import org.kvmportal.base.CurrentUser;
import org.kvmportal.hypervisor.DomainRef;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Gives a VM a user has just created to that user, at {@link VmAccessLevel#MANAGE}: called by provisioning
 * right after the VM is defined. A VM someone already holds is refused, so this cannot claim existing VMs.
 */
@Component
public class VmCreators {

    private final VmGrants grants;
    private final Accounts accounts;
    private final VmAccessPolicy policy;

    private final CurrentUser caller;

    VmCreators(VmGrants grants, Accounts accounts, VmAccessPolicy policy, CurrentUser caller) {
        this.caller = caller;
        this.grants = grants;
        this.accounts = accounts;
        this.policy = policy;
    }

    @PreAuthorize("isAuthenticated()")
    @Transactional
    public void assignToCreator(DomainRef vm) {
        // Called on a pool thread, where the static holder may be another application context's.
        String username = caller.username();
        if (grants.isAssigned(vm)) {
            throw new VmActionException("That virtual machine is assigned already.");
        }
        long id = accounts.userId(username)
                .orElseThrow(() -> new VmActionException("There is no user named " + username + "."));
        grants.grantToUser(vm, id, VmAccessLevel.MANAGE, username);
        policy.forgetRecent();
    }
}
