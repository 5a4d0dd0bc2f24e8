package org.kvmportal.hypervisor;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * What a host offers for a domain's disks and NICs: its active storage pools with their volumes, and its
 * networks. The browser picks among these names; paths are resolved on the server. The portal narrows the
 * volumes to what the person may attach ({@link #narrowed}).
 */
public record EditChoices(List<Pool> pools, List<String> networks) {

    public EditChoices {
        pools = List.copyOf(pools);
        networks = List.copyOf(networks);
    }

    /**
     * @param volumes the volumes that may be attached as disks
     * @param media the disc images that may go into a CD-ROM drive: as the host lists them, the {@code .iso}
     *     volumes
     */
    public record Pool(String name, long availableBytes, List<Volume> volumes, List<Volume> media) {

        public Pool {
            volumes = List.copyOf(volumes);
            media = List.copyOf(media);
        }

        /** A pool as the host lists it: every volume, its {@code .iso} ones as media. */
        public Pool(String name, long availableBytes, List<Volume> volumes) {
            this(
                    name,
                    availableBytes,
                    volumes,
                    volumes.stream().filter(Volume::isIso).toList());
        }

        public Optional<Volume> volume(String name) {
            return volumes.stream().filter(volume -> volume.name().equals(name)).findFirst();
        }

        public Optional<Volume> medium(String name) {
            return media.stream().filter(volume -> volume.name().equals(name)).findFirst();
        }
    }

    /**
     * @param path where the volume is on the host, shown for orientation only
     * @param usedBy the domains whose disks (live or persistent definition, backing chains included) read it
     * @param backingFile whether another volume's backing chain starts at it (a template's base image, say)
     */
    public record Volume(String name, long capacityBytes, String path, Set<UUID> usedBy, boolean backingFile) {

        public Volume {
            usedBy = Set.copyOf(usedBy);
        }

        public boolean isIso() {
            return name.toLowerCase(Locale.ROOT).endsWith(".iso");
        }
    }

    public Optional<Pool> pool(String name) {
        return pools.stream().filter(pool -> pool.name().equals(name)).findFirst();
    }

    /** The same pools with only the volumes and media that pass the tests (pool, volume). */
    public EditChoices narrowed(BiPredicate<Pool, Volume> disk, BiPredicate<Pool, Volume> medium) {
        return new EditChoices(
                pools.stream()
                        .map(pool -> new Pool(
                                pool.name(),
                                pool.availableBytes(),
                                pool.volumes().stream()
                                        .filter(volume -> disk.test(pool, volume))
                                        .toList(),
                                pool.media().stream()
                                        .filter(volume -> medium.test(pool, volume))
                                        .toList()))
                        .toList(),
                networks);
    }
}
