package org.kvmportal.vm;

import org.kvmportal.hypervisor.DomainDetails;
import org.kvmportal.hypervisor.DomainHardware;

/**
 * What a VM's pages show of the host to people who are not staff: the guest's own view (devices, sizes, its
 * addresses, the file name of a disk or disc), without the host's paths, pool folders, bridges, networks or
 * the address and port its display listens on. Those help an attacker map the host and a user not at all.
 */
final class HostInternals {

    private HostInternals() {}

    static DomainDetails hiddenFrom(DomainDetails details) {
        return new DomainDetails(
                details.summary(),
                details.osType(),
                details.description(),
                details.disks().stream()
                        .map(disk -> new DomainDetails.Disk(
                                disk.target(),
                                disk.device(),
                                disk.bus(),
                                fileName(disk.source()),
                                disk.capacityBytes()))
                        .toList(),
                details.nics().stream()
                        .map(nic -> new DomainDetails.Nic(nic.mac(), nic.type(), "", nic.model(), nic.addresses()))
                        .toList(),
                details.graphics().stream()
                        .map(graphics -> new DomainDetails.Graphics(graphics.type(), "", -1))
                        .toList());
    }

    /** The hardware a VM's manager edits: disks by file name; networks stay, as they pick among them. */
    static DomainHardware hiddenFrom(DomainHardware hardware) {
        return new DomainHardware(
                hardware.name(),
                hardware.running(),
                hardware.virtType(),
                hardware.arch(),
                hardware.machine(),
                hardware.vcpus(),
                hardware.maxVcpus(),
                hardware.memoryKiB(),
                hardware.maxMemoryKiB(),
                hardware.disks().stream()
                        .map(disk -> new DomainHardware.Disk(
                                disk.target(),
                                disk.device(),
                                disk.bus(),
                                fileName(disk.source()),
                                disk.capacityBytes(),
                                disk.readOnly()))
                        .toList(),
                hardware.nics(),
                hardware.bootOrder(),
                hardware.description(),
                hardware.pending());
    }

    /** The last part of a path ({@code /var/lib/libvirt/images/web.qcow2} → {@code web.qcow2}). */
    static String fileName(String source) {
        int slash = source.lastIndexOf('/');
        return slash < 0 ? source : source.substring(slash + 1);
    }
}
