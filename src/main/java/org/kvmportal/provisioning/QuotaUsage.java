package org.kvmportal.provisioning;

import java.util.List;
import org.kvmportal.access.Quota;

/**
 * What a user has (the VMs assigned to them, directly or through groups) against their own and their groups'
 * quotas; a new VM must fit within every one of them.
 */
public record QuotaUsage(int vms, int vcpus, long memoryMib, List<Quota> quotas) {

    public QuotaUsage {
        quotas = List.copyOf(quotas);
    }

    /** Why one more VM of this size does not fit, or null when it does. */
    public String refusal(int moreVcpus, long moreMemoryMib) {
        for (var quota : quotas) {
            String whose =
                    quota.owner().startsWith("@") ? "Group " + quota.owner().substring(1) + "'s quota" : "Your quota";
            if (quota.vms() != null && vms + 1 > quota.vms()) {
                return "Over quota: " + whose + " allows " + quota.vms() + " VM" + (quota.vms() == 1 ? "" : "s")
                        + " and you have " + vms + ". Nothing was created.";
            }
            if (quota.vcpus() != null && vcpus + moreVcpus > quota.vcpus()) {
                return "Over quota: " + whose + " allows " + quota.vcpus() + " vCPUs; you have " + vcpus
                        + " and this VM needs " + moreVcpus + ". Nothing was created.";
            }
            if (quota.memoryMib() != null && memoryMib + moreMemoryMib > quota.memoryMib()) {
                return "Over quota: " + whose + " allows " + quota.memoryMib() + " MiB of memory; you have " + memoryMib
                        + " MiB and this VM needs " + moreMemoryMib + " MiB. Nothing was created.";
            }
        }
        return null;
    }
}
