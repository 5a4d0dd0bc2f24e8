package org.kvmportal.vm;

import java.util.List;
import java.util.stream.Collectors;

/** The result of one action on many VMs: which succeeded and which failed, and why. */
public record BulkOutcome(VmAction action, List<VmActionResult> results) {

    public BulkOutcome {
        results = List.copyOf(results);
    }

    public List<VmActionResult> failures() {
        return results.stream().filter(result -> !result.succeeded()).toList();
    }

    public long successCount() {
        return results.stream().filter(VmActionResult::succeeded).count();
    }

    /** E.g. "Start: 3 of 4 succeeded. demo-x: it is already running." */
    public String summary() {
        String head = action.label() + ": " + successCount() + " of " + results.size() + " succeeded.";
        if (failures().isEmpty()) {
            return head;
        }
        return head + " "
                + failures().stream()
                        .map(failure -> failure.name() + ": " + failure.error())
                        .collect(Collectors.joining(" "));
    }
}
