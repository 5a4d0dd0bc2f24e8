package org.kvmportal.hypervisor;

import java.util.List;

/**
 * A domain that was created.
 *
 * @param volumes the volumes made for it, as {@code pool/volume}
 * @param startError why it did not start when asked to (it stays defined, shut off), or null
 */
public record Provisioned(DomainRef ref, String name, List<String> volumes, String startError) {

    public Provisioned {
        volumes = List.copyOf(volumes);
    }
}
