package org.kvmportal.vm;

/** An action refused before libvirt was called; the message says why, in plain words. */
public class VmActionException extends RuntimeException {

    public VmActionException(String message) {
        super(message);
    }
}
