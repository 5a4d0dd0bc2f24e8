package org.kvmportal.vm;

/**
 * A volume or disc image the person may not use on this VM: it belongs to the admins or to a VM they do not
 * manage, another domain uses it, or it is another volume's base (ADR 13). Nothing was changed.
 */
public class VolumeRefusedException extends VmEditException {

    public VolumeRefusedException(String message) {
        super("volume", message);
    }
}
