package org.kvmportal.hypervisor;

import java.util.List;

/** A volume was not deleted because something depends on it; {@link #protections()} says what, one each. */
public class VolumeInUseException extends HypervisorException {

    private final List<String> protections;

    public VolumeInUseException(String message, List<String> protections) {
        super(message);
        this.protections = List.copyOf(protections);
    }

    public List<String> protections() {
        return protections;
    }
}
