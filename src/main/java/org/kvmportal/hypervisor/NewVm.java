package org.kvmportal.hypervisor;

import java.util.Objects;
import java.util.UUID;

/**
 * A domain to create, every field already checked by the caller.
 *
 * @param uuid chosen by the caller, so that the preview and the creation agree; the MAC addresses derive from it
 * @param osVariant tunes disk bus, NIC model and clock for a new domain; ignored for copies (they keep the
 *     original's devices)
 * @param diskGib the size of the new empty disk when installing from an ISO; ignored otherwise
 * @param pool where new disk volumes go; null for copies means each beside the volume it copies
 * @param network the NIC of a new domain; ignored for copies (they keep the original's NICs, with new MACs)
 * @param firmware of a new domain; ignored for copies
 * @param start whether to start the domain once defined
 */
public record NewVm(
        String host,
        String name,
        String description,
        UUID uuid,
        VmSource source,
        OsVariant osVariant,
        int vcpus,
        long memoryMib,
        long diskGib,
        String pool,
        NetworkChoice network,
        Firmware firmware,
        boolean start) {

    public NewVm {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(source, "source");
        description = description == null ? "" : description;
        osVariant = osVariant == null ? OsVariant.GENERIC : osVariant;
        network = network == null ? NetworkChoice.NONE : network;
        firmware = firmware == null ? Firmware.BIOS : firmware;
    }

    public DomainRef ref() {
        return new DomainRef(host, uuid);
    }
}
