package org.kvmportal.hypervisor;

import java.util.List;

/**
 * One change to a domain's hardware, already checked by the caller. The persistent definition always takes
 * it; a running domain takes it at once where the hypervisor allows (see {@link DomainEditor#apply}).
 */
public sealed interface HardwareEdit {

    record ProcessorsAndMemory(int vcpus, int maxVcpus, long memoryKiB, long maxMemoryKiB) implements HardwareEdit {}

    /** Creates volume {@code volume} in {@code pool} and attaches it. */
    record NewDisk(String pool, String volume, long capacityBytes, String format, String bus) implements HardwareEdit {}

    /**
     * Attaches an existing volume of a pool.
     *
     * @param exclusive refuse it ({@link VolumeInUseException}) when another domain's disk or another volume's
     *     backing chain reads it, checked again inside the attaching call
     */
    record AttachDisk(String pool, String volume, String bus, boolean exclusive) implements HardwareEdit {}

    /** Detaches a disk; the volume or file behind it is kept. */
    record DetachDisk(String target) implements HardwareEdit {}

    /** Grows a disk (never shrinks it: that would cut off data). */
    record ResizeDisk(String target, long capacityBytes) implements HardwareEdit {}

    /** Moves a disk to another bus; it gets a target name of that bus. */
    record DiskBus(String target, String bus) implements HardwareEdit {}

    /** Puts a pool's disc image into a CD-ROM drive; {@code volume} null ejects the medium. */
    record Media(String target, String pool, String volume) implements HardwareEdit {}

    /** Adds a CD-ROM drive without medium. */
    record AddCdrom(String bus) implements HardwareEdit {}

    /**
     * @param network a libvirt network of the host; null for user-mode networking
     * @param mac null lets libvirt choose one
     */
    record Nic(String network, String model, String mac) {}

    record AddNic(Nic nic) implements HardwareEdit {}

    record ChangeNic(String mac, Nic nic) implements HardwareEdit {}

    record RemoveNic(String mac) implements HardwareEdit {}

    /** The devices to boot from, first first (disk targets and NIC MACs); the others are not tried. */
    record BootOrder(List<String> devices) implements HardwareEdit {

        public BootOrder {
            devices = List.copyOf(devices);
        }
    }
}
