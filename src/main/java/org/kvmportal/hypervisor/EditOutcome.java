package org.kvmportal.hypervisor;

import java.util.List;

/**
 * What an edit left for later: the definition took the change, but the running domain does not have it
 * (yet), in words. Empty when the domain is not running or took everything at once.
 */
public record EditOutcome(List<String> pending) {

    public EditOutcome {
        pending = List.copyOf(pending);
    }
}
