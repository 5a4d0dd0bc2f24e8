package org.kvmportal.storage;

import java.util.Objects;

/**
 * A storage volume as the portal names it durably: host, pool and volume name (what every list and choice uses;
 * the path is resolved on the host).
 */
public record VolumeId(String host, String pool, String volume) {

    public VolumeId {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(volume, "volume");
    }

    @Override
    public String toString() {
        return host + "/" + pool + "/" + volume;
    }
}
