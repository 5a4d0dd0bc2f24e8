package org.kvmportal.access;

import org.kvmportal.base.InputRefusedException;

/**
 * A user or group change refused before anything was saved; {@code field} names the form field to blame
 * ("username", "displayName", "email", "roles", "password", "quotaVms", "name", ...), or is empty when the
 * refusal is about the whole change (the last admin, say).
 */
public class AccessInputException extends InputRefusedException {

    public AccessInputException(String field, String message) {
        super(field, message);
    }
}
