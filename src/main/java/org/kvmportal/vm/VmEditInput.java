package org.kvmportal.vm;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.kvmportal.hypervisor.DomainHardware;
import org.kvmportal.hypervisor.EditChoices;
import org.kvmportal.hypervisor.EditLimits;
import org.kvmportal.hypervisor.HardwareEdit;

/**
 * Checks VM edits against the VM, the host's limits and what the host offers, before libvirt is called: one
 * message per field, all fields at once. Values only differing from the current ones are held to the host's
 * limits, so that a VM already beyond them can still be edited elsewhere.
 */
final class VmEditInput {

    static final List<String> DISK_BUSES = List.of("virtio", "sata", "scsi", "ide", "usb");
    static final List<String> CDROM_BUSES = List.of("sata", "ide", "scsi", "usb");
    static final List<String> FORMATS = List.of("qcow2", "raw");
    static final List<String> NIC_MODELS = List.of("virtio", "e1000", "e1000e", "rtl8139");
    static final int MAX_DESCRIPTION = 10_000;
    static final long MIN_MEMORY_MIB = 16;
    static final long MAX_DISK_GIB = 64 * 1024;

    private static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");
    private static final long GIB = 1024L * 1024 * 1024;

    private final Map<String, String> errors = new LinkedHashMap<>();

    private VmEditInput() {}

    static HardwareEdit.ProcessorsAndMemory processorsAndMemory(
            DomainHardware vm,
            long liveMemoryKiB,
            EditLimits limits,
            Integer vcpus,
            Integer maxVcpus,
            Long memoryMib,
            Long maxMemoryMib) {
        var input = new VmEditInput();
        if (maxVcpus == null || maxVcpus < 1) {
            input.error("maxVcpus", "Enter the most vCPUs the machine may have: 1 or more.");
        } else if (maxVcpus != vm.maxVcpus() && maxVcpus > limits.maxVcpus()) {
            input.error(
                    "maxVcpus",
                    "This host gives a " + vm.virtType() + " machine"
                            + (vm.machine().isEmpty() ? "" : " of type " + vm.machine()) + " at most "
                            + limits.maxVcpus() + " vCPUs.");
        }
        if (vcpus == null || vcpus < 1) {
            input.error("vcpus", "Enter the number of vCPUs: 1 or more.");
        } else if (maxVcpus != null && maxVcpus >= 1 && vcpus > maxVcpus) {
            input.error("vcpus", "At most the maximum vCPUs (" + maxVcpus + ").");
        }
        long hostMib = limits.hostMemoryKiB() / 1024;
        if (maxMemoryMib == null || maxMemoryMib < MIN_MEMORY_MIB) {
            input.error("maxMemory", "Enter the most memory the machine may have: " + MIN_MEMORY_MIB + " MiB or more.");
        } else if (maxMemoryMib * 1024 != vm.maxMemoryKiB() && maxMemoryMib > hostMib) {
            input.error("maxMemory", "The host has " + hostMib + " MiB of memory in all.");
        }
        if (memoryMib == null || memoryMib < MIN_MEMORY_MIB) {
            input.error("memory", "Enter the memory: " + MIN_MEMORY_MIB + " MiB or more.");
        } else if (maxMemoryMib != null && maxMemoryMib >= MIN_MEMORY_MIB && memoryMib > maxMemoryMib) {
            input.error("memory", "At most the maximum memory (" + maxMemoryMib + " MiB).");
        } else if (vm.running() && limits.freeMemoryKiB() >= 0) {
            // A running machine takes more memory from the host now; a stopped one only when it starts.
            long growthKiB = memoryMib * 1024 - liveMemoryKiB;
            if (growthKiB > limits.freeMemoryKiB()) {
                input.error(
                        "memory",
                        "The host has only " + limits.freeMemoryKiB() / 1024 + " MiB free: at most "
                                + (liveMemoryKiB + limits.freeMemoryKiB()) / 1024 + " MiB while the machine runs.");
            }
        }
        input.throwIfAny();
        return new HardwareEdit.ProcessorsAndMemory(vcpus, maxVcpus, memoryMib * 1024, maxMemoryMib * 1024);
    }

    static HardwareEdit.NewDisk newDisk(
            EditChoices choices, String poolName, String volume, Long sizeGib, String format, String bus) {
        var input = new VmEditInput();
        var pool = input.pool(choices, poolName);
        String name = volume == null ? "" : volume.strip();
        if (!VOLUME_NAME.matcher(name).matches()) {
            input.error(
                    "volume",
                    "A volume name has 1 to 64 letters, digits, dots, dashes or underscores, and starts with a"
                            + " letter or digit.");
        } else if (pool != null && pool.volume(name).isPresent()) {
            input.error("volume", "Pool " + pool.name() + " already has a volume named " + name + ".");
        }
        if (sizeGib == null || sizeGib < 1) {
            input.error("size", "Enter the size: 1 GiB or more.");
        } else if (sizeGib > MAX_DISK_GIB) {
            input.error("size", "At most " + MAX_DISK_GIB + " GiB.");
        } else if (pool != null && sizeGib * GIB > pool.availableBytes()) {
            input.error("size", "Pool " + pool.name() + " has only " + pool.availableBytes() / GIB + " GiB free.");
        }
        if (format == null || !FORMATS.contains(format)) {
            input.error("format", "Choose a format: " + String.join(" or ", FORMATS) + ".");
        }
        input.bus(bus, DISK_BUSES);
        input.throwIfAny();
        return new HardwareEdit.NewDisk(pool.name(), name, sizeGib * GIB, format, bus);
    }

    /** @param exclusive whether the hypervisor must refuse a volume another domain or volume depends on */
    static HardwareEdit.AttachDisk attachDisk(
            DomainHardware vm, EditChoices choices, String poolName, String volume, String bus, boolean exclusive) {
        var input = new VmEditInput();
        var pool = input.pool(choices, poolName);
        if (pool != null) {
            var chosen = volume == null ? null : pool.volume(volume).orElse(null);
            if (chosen == null) {
                input.error("volume", "Choose a volume of pool " + pool.name() + ".");
            } else if (vm.disks().stream().anyMatch(disk -> disk.source().equals(chosen.path()))) {
                input.error("volume", "This volume is already attached to " + vm.name() + ".");
            }
        }
        input.bus(bus, DISK_BUSES);
        input.throwIfAny();
        return new HardwareEdit.AttachDisk(pool.name(), volume, bus, exclusive);
    }

    static HardwareEdit.DetachDisk detachDisk(DomainHardware vm, String target) {
        var input = new VmEditInput();
        input.disk(vm, target);
        input.throwIfAny();
        return new HardwareEdit.DetachDisk(target);
    }

    static HardwareEdit.ResizeDisk resizeDisk(DomainHardware vm, String target, Long sizeGib) {
        var input = new VmEditInput();
        var disk = input.disk(vm, target);
        if (disk != null && disk.isCdrom()) {
            input.error("target", "A CD-ROM drive has no size of its own to change.");
        }
        if (sizeGib == null || sizeGib < 1) {
            input.error("size", "Enter the new size: 1 GiB or more.");
        } else if (sizeGib > MAX_DISK_GIB) {
            input.error("size", "At most " + MAX_DISK_GIB + " GiB.");
        } else if (disk != null && disk.capacityBytes() >= 0 && sizeGib * GIB <= disk.capacityBytes()) {
            // Shrinking would cut off whatever the guest keeps at the end of the disk.
            input.error(
                    "size",
                    "A disk can only grow: " + target + " has "
                            + String.format(Locale.ROOT, "%.1f", disk.capacityBytes() / (double) GIB) + " GiB now.");
        }
        input.throwIfAny();
        return new HardwareEdit.ResizeDisk(target, sizeGib * GIB);
    }

    static HardwareEdit.DiskBus diskBus(DomainHardware vm, String target, String bus) {
        var input = new VmEditInput();
        var disk = input.disk(vm, target);
        input.bus(bus, disk != null && disk.isCdrom() ? CDROM_BUSES : DISK_BUSES);
        if (disk != null && disk.bus().equals(bus)) {
            input.error("bus", target + " is on " + bus + " already.");
        }
        input.throwIfAny();
        return new HardwareEdit.DiskBus(target, bus);
    }

    static HardwareEdit.Media insertMedia(
            DomainHardware vm, EditChoices choices, String target, String poolName, String image) {
        var input = new VmEditInput();
        input.cdrom(vm, target);
        var pool = input.pool(choices, poolName);
        if (pool != null && (image == null || pool.medium(image).isEmpty())) {
            input.error("volume", "Choose a disc image (.iso) of pool " + pool.name() + ".");
        }
        input.throwIfAny();
        return new HardwareEdit.Media(target, pool.name(), image);
    }

    static HardwareEdit.Media ejectMedia(DomainHardware vm, String target) {
        var input = new VmEditInput();
        var drive = input.cdrom(vm, target);
        if (drive != null && drive.source().isEmpty()) {
            input.error("target", "Drive " + target + " holds no medium.");
        }
        input.throwIfAny();
        return new HardwareEdit.Media(target, null, null);
    }

    static HardwareEdit.AddCdrom addCdrom(String bus) {
        var input = new VmEditInput();
        input.bus(bus, CDROM_BUSES);
        input.throwIfAny();
        return new HardwareEdit.AddCdrom(bus);
    }

    static HardwareEdit.Nic nic(
            DomainHardware vm, EditChoices choices, String network, String model, String mac, String except) {
        var input = new VmEditInput();
        String chosenNetwork = network == null || network.isBlank() ? null : network;
        if (chosenNetwork != null && !choices.networks().contains(chosenNetwork)) {
            input.error("network", "No active network named " + chosenNetwork + " on this host.");
        }
        if (model == null || !NIC_MODELS.contains(model)) {
            input.error("model", "Choose a model: " + String.join(", ", NIC_MODELS) + ".");
        }
        String cleanMac = mac == null || mac.isBlank() ? null : mac.strip().toLowerCase(Locale.ROOT);
        if (cleanMac != null) {
            if (!MAC.matcher(cleanMac).matches() || (Integer.parseInt(cleanMac.substring(0, 2), 16) & 1) == 1) {
                input.error("mac", "Enter a unicast MAC address like 52:54:00:12:34:56, or nothing to get one.");
            } else if (!cleanMac.equalsIgnoreCase(except == null ? "" : except)
                    && vm.nic(cleanMac).isPresent()) {
                input.error("mac", vm.name() + " has a network interface with this MAC address already.");
            }
        }
        input.throwIfAny();
        return new HardwareEdit.Nic(chosenNetwork, model, cleanMac);
    }

    static String existingNic(DomainHardware vm, String mac) {
        if (mac == null || vm.nic(mac).isEmpty()) {
            throw new VmEditException("mac", vm.name() + " has no network interface " + mac + ".");
        }
        return vm.nic(mac).get().mac();
    }

    static HardwareEdit.BootOrder bootOrder(DomainHardware vm, List<String> devices) {
        var known = new HashSet<String>();
        vm.disks().forEach(disk -> known.add(disk.target()));
        vm.nics().forEach(nic -> known.add(nic.mac().toLowerCase(Locale.ROOT)));
        Set<String> seen = new HashSet<>();
        for (String device : devices == null ? List.<String>of() : devices) {
            String key = device == null ? "" : device.toLowerCase(Locale.ROOT);
            if (!known.contains(key)) {
                throw new VmEditException("bootOrder", vm.name() + " has no device " + device + ".");
            }
            if (!seen.add(key)) {
                throw new VmEditException("bootOrder", device + " is in the boot order twice.");
            }
        }
        return new HardwareEdit.BootOrder(devices == null ? List.of() : devices);
    }

    /**
     * Line breaks are kept as {@code \n} (XML stores no other kind); other control characters cannot be stored
     * in XML at all, so they are refused rather than dropped.
     */
    static String description(String text) {
        String clean = text == null ? "" : text.replace("\r\n", "\n").replace('\r', '\n');
        if (clean.length() > MAX_DESCRIPTION) {
            throw new VmEditException("description", "A description has at most " + MAX_DESCRIPTION + " characters.");
        }
        if (clean.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0xFFFE || c == 0xFFFF)) {
            throw new VmEditException(
                    "description", "A description cannot hold control characters other than line breaks and tabs.");
        }
        return clean;
    }

    static String xml(String text) {
        if (text == null || text.isBlank()) {
            throw new VmEditException("xml", "Enter the definition: a <domain> element.");
        }
        return text;
    }

    private EditChoices.Pool pool(EditChoices choices, String name) {
        if (name == null || name.isBlank()) {
            error("pool", "Choose a storage pool.");
            return null;
        }
        var pool = choices.pool(name).orElse(null);
        if (pool == null) {
            error("pool", "No active storage pool named " + name + " on this host.");
        }
        return pool;
    }

    private DomainHardware.Disk disk(DomainHardware vm, String target) {
        var disk = target == null ? null : vm.disk(target).orElse(null);
        if (disk == null) {
            error("target", vm.name() + " has no disk " + target + ".");
        }
        return disk;
    }

    private DomainHardware.Disk cdrom(DomainHardware vm, String target) {
        var drive = disk(vm, target);
        if (drive != null && !drive.isCdrom()) {
            error("target", target + " is not a CD-ROM drive.");
            return null;
        }
        return drive;
    }

    private void bus(String bus, List<String> allowed) {
        if (bus == null || !allowed.contains(bus)) {
            error("bus", "Choose a bus: " + String.join(", ", allowed) + ".");
        }
    }

    private void error(String field, String message) {
        errors.putIfAbsent(field, message);
    }

    private void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new VmEditException(errors);
        }
    }
}
