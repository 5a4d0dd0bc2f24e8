package org.kvmportal.provisioning;

import java.util.UUID;
import org.kvmportal.hypervisor.Firmware;
import org.kvmportal.hypervisor.NetworkChoice;
import org.kvmportal.hypervisor.OsVariant;
import org.kvmportal.hypervisor.VmSource;

/**
 * What the create wizard asks for. Pools, volumes and networks are names the server listed, never paths.
 *
 * @param uuid the new VM's UUID, made once per wizard so that its preview and its creation agree; null makes one
 * @param diskGib the size of the new disk for an ISO install; ignored otherwise
 * @param pool where new disks go (ISO installs, template copies); null for a template copy puts each beside the
 *     template's disk
 * @param network for ISO installs and imported disks; copies keep the template's NICs
 * @param firmware for ISO installs and imported disks; copies keep the template's
 */
public record NewVmRequest(
        UUID uuid,
        String host,
        String name,
        String description,
        VmSource source,
        OsVariant osVariant,
        int vcpus,
        long memoryMib,
        long diskGib,
        String pool,
        NetworkChoice network,
        Firmware firmware,
        boolean start) {}
