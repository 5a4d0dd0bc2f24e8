package org.kvmportal.provisioning;

import java.util.regex.Pattern;
import org.kvmportal.hypervisor.Firmware;
import org.kvmportal.hypervisor.NetworkChoice;
import org.kvmportal.hypervisor.ProvisioningOptions;
import org.kvmportal.hypervisor.VmSource;

/**
 * Checks what someone typed or chose for a new VM, one clear message per field, before any libvirt call.
 * Field names: name, description, host, source, template, vcpus, memory, diskSize, pool, network, firmware.
 */
final class NewVmInput {

    static final int MAX_NAME = 50;
    static final int MAX_DESCRIPTION = 4000;
    static final int MAX_VCPUS = 64;
    static final long MIN_MEMORY_MIB = 64;
    static final long MAX_MEMORY_MIB = 256 * 1024;
    static final long MAX_DISK_GIB = 4096;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private NewVmInput() {}

    /** Letters, digits, dot, dash, underscore; starting with a letter or digit; at most {@link #MAX_NAME}. */
    static String name(String raw) {
        String name = raw == null ? "" : raw;
        if (name.isBlank()) {
            throw refused("name", "Enter a name for the virtual machine.");
        }
        if (name.length() > MAX_NAME) {
            throw refused("name", "A name has at most " + MAX_NAME + " characters.");
        }
        if (!NAME.matcher(name).matches()) {
            throw refused(
                    "name",
                    "A name may hold only letters, digits, dots, dashes and underscores, and starts with a letter"
                            + " or digit.");
        }
        return name;
    }

    /**
     * Any text a person can type, kept exactly as typed (quotes, {@code <}, {@code &}, line breaks, any
     * language); only characters XML cannot carry at all are refused.
     */
    static String description(String raw) {
        String text = raw == null ? "" : raw;
        if (text.length() > MAX_DESCRIPTION) {
            throw refused("description", "A description has at most " + MAX_DESCRIPTION + " characters.");
        }
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean allowed = c == '\t'
                    || c == '\n'
                    || c == '\r'
                    || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            if (!allowed || Character.isSurrogate(text.charAt(i)) && Character.charCount(c) == 1) {
                throw refused(
                        "description",
                        "The description holds a control character (code " + c + ") that cannot be stored.");
            }
            i += Character.charCount(c);
        }
        return text;
    }

    static int vcpus(int vcpus) {
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw refused("vcpus", "Choose 1 to " + MAX_VCPUS + " vCPUs.");
        }
        return vcpus;
    }

    static long memory(long memoryMib) {
        if (memoryMib < MIN_MEMORY_MIB || memoryMib > MAX_MEMORY_MIB) {
            throw refused("memory", "Memory is " + MIN_MEMORY_MIB + " MiB to " + MAX_MEMORY_MIB / 1024 + " GiB.");
        }
        return memoryMib;
    }

    static long diskSize(long gib) {
        if (gib < 1 || gib > MAX_DISK_GIB) {
            throw refused("diskSize", "A new disk is 1 to " + MAX_DISK_GIB + " GiB.");
        }
        return gib;
    }

    /** The ISO or disk image, the new disk's pool and the network, among what the host listed. */
    static void choices(NewVmRequest request, ProvisioningOptions options) {
        switch (request.source()) {
            case VmSource.IsoInstall iso -> {
                var volume = volume(options, iso.pool(), iso.volume());
                if (!volume.iso()) {
                    throw refused("source", iso.volume() + " is not an installer image (.iso).");
                }
                pool(options, request.pool());
            }
            case VmSource.ExistingDisk disk -> {
                var volume = volume(options, disk.pool(), disk.volume());
                if (volume.iso()) {
                    throw refused("source", disk.volume() + " is an installer image; choose a disk image.");
                }
                if (!volume.usedBy().isEmpty()) {
                    throw refused(
                            "source",
                            disk.volume() + " is used by " + String.join(", ", volume.usedBy())
                                    + "; two machines writing one disk would destroy it.");
                }
            }
            case VmSource.CopyOf copy -> {
                if (request.pool() != null) {
                    pool(options, request.pool());
                }
            }
        }
        if (!(request.source() instanceof VmSource.CopyOf)) {
            if (request.network() instanceof NetworkChoice.Libvirt network
                    && !options.networks().contains(network.name())) {
                throw refused("network", "There is no active network named " + network.name() + " on the host.");
            }
            if (request.firmware() == Firmware.UEFI && !options.uefiAvailable()) {
                throw refused("firmware", options.uefiUnavailable());
            }
        }
    }

    private static ProvisioningOptions.Volume volume(ProvisioningOptions options, String pool, String volume) {
        var found = options.pools().stream()
                .filter(candidate -> candidate.name().equals(pool))
                .findFirst()
                .orElseThrow(
                        () -> refused("source", "There is no active storage pool named " + pool + " on the host."));
        return found.volumes().stream()
                .filter(candidate -> candidate.name().equals(volume))
                .findFirst()
                .orElseThrow(() -> refused("source", "Storage pool " + pool + " has no volume named " + volume + "."));
    }

    private static ProvisioningOptions.Pool pool(ProvisioningOptions options, String pool) {
        if (pool == null || pool.isEmpty()) {
            throw refused("pool", "Choose a storage pool for the new disk.");
        }
        return options.pools().stream()
                .filter(candidate -> candidate.name().equals(pool))
                .findFirst()
                .orElseThrow(() -> refused("pool", "There is no active storage pool named " + pool + " on the host."));
    }

    static ProvisioningInputException refused(String field, String message) {
        return new ProvisioningInputException(field, message);
    }
}
