package org.kvmportal.storage;

import java.util.UUID;

/**
 * Who a volume belongs to.
 *
 * @param vm the domain (on the volume's host) it was made for, whose managers may attach it and whose deletion
 *     may delete it; null when it is the admins'
 * @param published only for the admins' volumes: a disc image that everyone may insert into a CD-ROM drive of
 *     a VM they manage (read-only)
 */
public record VolumeOwner(UUID vm, boolean published) {

    /** A volume nobody recorded: an upload, a volume made on the Storage page, anything older than the record. */
    public static final VolumeOwner ADMINS = new VolumeOwner(null, false);

    public VolumeOwner {
        if (vm != null && published) {
            throw new IllegalArgumentException("only the admins' volumes are published");
        }
    }

    public boolean admins() {
        return vm == null;
    }
}
