package org.kvmportal.hypervisor;

import java.util.Locale;

/** The disk image formats the portal creates volumes in. */
public enum VolumeFormat {
    /** Thin, with snapshots and backing files: what VM disks normally are. */
    QCOW2,
    /** A plain byte-for-byte image: ISOs, or disks that need the last bit of speed. */
    RAW;

    /** libvirt's name for it ({@code <format type='qcow2'/>}). */
    public String libvirtName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
