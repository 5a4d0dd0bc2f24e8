package org.kvmportal.hypervisor;

import java.util.Objects;
import java.util.UUID;

/** Identifies a domain: the configured host it lives on and its libvirt UUID. */
public record DomainRef(String host, UUID uuid) {

    public DomainRef {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(uuid, "uuid");
    }
}
