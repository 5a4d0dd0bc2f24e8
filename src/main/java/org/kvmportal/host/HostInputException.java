package org.kvmportal.host;

/** Input refused before anything was tried or saved; {@code field} names the form field to blame. */
public class HostInputException extends RuntimeException {

    private final String field;

    public HostInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** "name" or "uri", or empty when no one field is to blame. */
    public String field() {
        return field;
    }
}
