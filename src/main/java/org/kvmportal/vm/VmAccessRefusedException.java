package org.kvmportal.vm;

import org.kvmportal.base.AccessRefusal;

/**
 * An act on a VM refused for lack of a right, or because the caller may not see the VM (which answers as if it
 * did not exist). Nothing was tried; the message says it in plain words.
 */
public class VmAccessRefusedException extends VmActionException implements AccessRefusal {

    public VmAccessRefusedException(String message) {
        super(message);
    }
}
