package org.kvmportal.hypervisor;

/**
 * A volume to create. Checked by the calling service; this layer builds its XML through a DOM.
 *
 * @param backingVolume for a qcow2 overlay: the name of a volume in the same pool it starts from, or null
 */
public record NewVolume(String name, VolumeFormat format, long capacityBytes, String backingVolume) {

    public NewVolume(String name, VolumeFormat format, long capacityBytes) {
        this(name, format, capacityBytes, null);
    }
}
