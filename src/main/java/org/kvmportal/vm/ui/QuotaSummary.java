package org.kvmportal.vm.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import java.util.ArrayList;
import java.util.List;
import org.kvmportal.access.Quota;
import org.kvmportal.vm.AssignedVm;

/** What a user has against their quotas (VMs, vCPUs, memory); the provisioning pages enforce them. */
final class QuotaSummary extends Div {

    QuotaSummary(List<Quota> quotas, List<AssignedVm> mine) {
        setId("my-quotas");
        addClassName("quota-summary");
        int vcpus = mine.stream().mapToInt(assigned -> assigned.vm().vcpus()).sum();
        long memoryKiB =
                mine.stream().mapToLong(assigned -> assigned.vm().memoryKiB()).sum();
        add(new Span("You have " + mine.size() + " VM" + (mine.size() == 1 ? "" : "s") + ", " + vcpus + " vCPU"
                + (vcpus == 1 ? "" : "s") + ", " + Sizes.memory(memoryKiB) + " of memory."));
        quotas.stream().filter(quota -> !quota.unlimited()).forEach(quota -> add(new Span(describe(quota))));
    }

    private static String describe(Quota quota) {
        var limits = new ArrayList<String>();
        if (quota.vms() != null) {
            limits.add(quota.vms() + " VMs");
        }
        if (quota.vcpus() != null) {
            limits.add(quota.vcpus() + " vCPUs");
        }
        if (quota.memoryMib() != null) {
            limits.add(Sizes.memory(quota.memoryMib() * 1024));
        }
        String whose = quota.owner().startsWith("@") ? "Group " + quota.owner().substring(1) : "Your";
        return whose + " quota: up to " + String.join(", ", limits) + ".";
    }
}
