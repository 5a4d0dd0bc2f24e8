package org.kvmportal.storage;

/** Input refused before anything was tried; {@code field} names the form field to blame. */
public class StorageInputException extends RuntimeException {

    private final String field;

    public StorageInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** "host", "pool", "name", "format", "size" or "file"; empty when no one field is to blame. */
    public String field() {
        return field;
    }
}
