package org.kvmportal.hypervisor;

import java.util.Objects;
import java.util.UUID;

/** Where a new domain's system disk comes from. Pools and volumes are named, never given as paths. */
public sealed interface VmSource {

    /** A new empty disk, with this installer ISO (a volume in a pool) in a CD-ROM drive to boot from. */
    record IsoInstall(String pool, String volume) implements VmSource {
        public IsoInstall {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(volume, "volume");
        }
    }

    /** An existing disk image (a volume in a pool), used as it is: the new domain boots from it. */
    record ExistingDisk(String pool, String volume) implements VmSource {
        public ExistingDisk {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(volume, "volume");
        }
    }

    /**
     * A copy of a shut-off domain on the same host (a template, or a VM being cloned): its definition with a
     * new name, UUID and MAC addresses, and each writable disk either copied in full or, when {@code linked},
     * a new qcow2 volume whose backing file is the original disk (fast and small, but the original must then
     * never change).
     */
    record CopyOf(UUID domain, boolean linked) implements VmSource {
        public CopyOf {
            Objects.requireNonNull(domain, "domain");
        }
    }
}
