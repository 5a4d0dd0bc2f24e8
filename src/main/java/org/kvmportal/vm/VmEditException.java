package org.kvmportal.vm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A VM edit refused before libvirt was called, nothing changed. Each message names the form field to blame
 * ("vcpus", "maxVcpus", "memory", "maxMemory", "pool", "volume", "size", "format", "bus", "target", "network",
 * "model", "mac", "bootOrder", "description", "xml"), or the empty field when no one field is to blame.
 */
public class VmEditException extends RuntimeException {

    private final Map<String, String> errors;

    public VmEditException(Map<String, String> errors) {
        super(String.join(" ", errors.values()));
        this.errors = Map.copyOf(new LinkedHashMap<>(errors));
    }

    public VmEditException(String field, String message) {
        this(Map.of(field, message));
    }

    /** Field name to message. */
    public Map<String, String> errors() {
        return errors;
    }
}
