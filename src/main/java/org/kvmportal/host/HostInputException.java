package org.kvmportal.host;

import org.kvmportal.base.InputRefusedException;

/** A host's input refused before anything was tried or saved; its field is "name" or "uri", or empty. */
public class HostInputException extends InputRefusedException {

    public HostInputException(String field, String message) {
        super(field, message);
    }
}
