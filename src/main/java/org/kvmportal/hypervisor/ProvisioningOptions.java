package org.kvmportal.hypervisor;

import java.util.List;

/**
 * What a new VM on one host may use, as the host lists it now.
 *
 * @param pools the active storage pools, with their volumes
 * @param networks the active libvirt networks, by name
 * @param uefiUnavailable why UEFI cannot be offered (no OVMF on the host, or the host cannot tell), or null
 *     when it can
 */
public record ProvisioningOptions(List<Pool> pools, List<String> networks, String uefiUnavailable) {

    public ProvisioningOptions {
        pools = List.copyOf(pools);
        networks = List.copyOf(networks);
    }

    public boolean uefiAvailable() {
        return uefiUnavailable == null;
    }

    /** @param type libvirt's pool type, e.g. {@code dir} */
    public record Pool(String name, String type, long availableBytes, List<Volume> volumes) {
        public Pool {
            volumes = List.copyOf(volumes);
        }
    }

    /**
     * @param format the image format ({@code qcow2}, {@code raw}, {@code iso}...), empty when unknown
     * @param usedBy the domains whose definition uses this volume (by name)
     */
    public record Volume(String name, String format, long capacityBytes, List<String> usedBy) {
        public Volume {
            usedBy = List.copyOf(usedBy);
        }

        /** An installer image: by its name, as libvirt reports ISOs as raw. */
        public boolean iso() {
            return name.toLowerCase(java.util.Locale.ROOT).endsWith(".iso") || "iso".equals(format);
        }
    }
}
