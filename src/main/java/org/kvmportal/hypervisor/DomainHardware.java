package org.kvmportal.hypervisor;

import java.util.List;

/**
 * A domain's editable hardware as its persistent definition holds it (what the next start uses), and what the
 * running domain does differently until then.
 *
 * @param virtType the domain type ({@code kvm}, {@code qemu}, {@code test})
 * @param machine the machine type (e.g. {@code pc-i440fx-7.2}), empty when the definition names none
 * @param vcpus the vCPUs the guest starts with; {@code maxVcpus} the most it may have (hot-plug limit)
 * @param memoryKiB the memory the guest starts with; {@code maxMemoryKiB} the most it may balloon up to
 * @param bootOrder the devices the firmware tries, first first: disk targets ({@code vda}) and NIC MACs
 * @param pending what the running domain does not have yet, in words ("Memory: 256 MiB now, 512 MiB after
 *     the next start"); empty when it is not running or nothing waits
 */
public record DomainHardware(
        String name,
        boolean running,
        String virtType,
        String arch,
        String machine,
        int vcpus,
        int maxVcpus,
        long memoryKiB,
        long maxMemoryKiB,
        List<Disk> disks,
        List<Nic> nics,
        List<String> bootOrder,
        String description,
        List<String> pending) {

    public DomainHardware {
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        bootOrder = List.copyOf(bootOrder);
        description = description == null ? "" : description;
        pending = List.copyOf(pending);
    }

    /**
     * @param device {@code disk}, {@code cdrom}, {@code floppy} or {@code lun}
     * @param source the file, block device or pool volume behind it; empty for a drive without medium
     * @param capacityBytes the size the guest sees, -1 when unknown
     */
    public record Disk(String target, String device, String bus, String source, long capacityBytes, boolean readOnly) {

        public boolean isCdrom() {
            return device.equals("cdrom");
        }
    }

    /**
     * @param type {@code network}, {@code user}, {@code bridge}, ...
     * @param source the libvirt network or bridge, empty for user-mode networking
     */
    public record Nic(String mac, String type, String source, String model) {}

    public boolean hasDisk(String target) {
        return disks.stream().anyMatch(disk -> disk.target().equals(target));
    }

    public java.util.Optional<Disk> disk(String target) {
        return disks.stream().filter(disk -> disk.target().equals(target)).findFirst();
    }

    public java.util.Optional<Nic> nic(String mac) {
        return nics.stream().filter(nic -> nic.mac().equalsIgnoreCase(mac)).findFirst();
    }
}
