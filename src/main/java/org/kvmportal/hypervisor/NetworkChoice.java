package org.kvmportal.hypervisor;

import java.util.Objects;

/** How a new domain's one NIC is connected. */
public sealed interface NetworkChoice {

    /** No NIC at all. */
    NetworkChoice NONE = new None();

    /** QEMU's user-mode networking: outgoing NAT with no host setup (no bridge, no libvirt network). */
    NetworkChoice USER_MODE = new UserMode();

    record None() implements NetworkChoice {}

    record UserMode() implements NetworkChoice {}

    /** One of the host's libvirt networks, by name. */
    record Libvirt(String name) implements NetworkChoice {
        public Libvirt {
            Objects.requireNonNull(name, "name");
        }
    }
}
