package org.kvmportal.access;

/**
 * A user or group change refused before anything was saved; {@code field} names the form field to blame
 * ("username", "displayName", "email", "roles", "password", "quotaVms", "name", ...), or is empty when the
 * refusal is about the whole change (the last admin, say).
 */
public class AccessInputException extends RuntimeException {

    private final String field;

    public AccessInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
