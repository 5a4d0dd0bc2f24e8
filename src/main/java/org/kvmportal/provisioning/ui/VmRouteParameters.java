package org.kvmportal.provisioning.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import java.util.Optional;
import java.util.UUID;
import org.kvmportal.hypervisor.DomainRef;

/** The VM named by a route's {@code :host/:uuid}; empty when the UUID is malformed. */
final class VmRouteParameters {

    private VmRouteParameters() {}

    static Optional<DomainRef> of(BeforeEnterEvent event) {
        String host = event.getRouteParameters().get("host").orElse("");
        try {
            return event.getRouteParameters().get("uuid").map(UUID::fromString).map(uuid -> new DomainRef(host, uuid));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
