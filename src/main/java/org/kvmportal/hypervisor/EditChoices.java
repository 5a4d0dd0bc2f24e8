package org.kvmportal.hypervisor;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a host offers for a domain's disks and NICs: its active storage pools with their volumes, and its
 * networks. The browser picks among these names; paths are resolved on the server.
 */
public record EditChoices(List<Pool> pools, List<String> networks) {

    public EditChoices {
        pools = List.copyOf(pools);
        networks = List.copyOf(networks);
    }

    public record Pool(String name, long availableBytes, List<Volume> volumes) {

        public Pool {
            volumes = List.copyOf(volumes);
        }

        public Optional<Volume> volume(String name) {
            return volumes.stream().filter(volume -> volume.name().equals(name)).findFirst();
        }

        /** The volumes a CD-ROM drive can take: disc images, by their {@code .iso} name. */
        public List<Volume> isoImages() {
            return volumes.stream().filter(Volume::isIso).toList();
        }
    }

    /** @param path where the volume is on the host, shown for orientation only */
    public record Volume(String name, long capacityBytes, String path) {

        public boolean isIso() {
            return name.toLowerCase(Locale.ROOT).endsWith(".iso");
        }
    }

    public Optional<Pool> pool(String name) {
        return pools.stream().filter(pool -> pool.name().equals(name)).findFirst();
    }
}
