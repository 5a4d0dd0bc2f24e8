package org.kvmportal.vm;

/** A snapshot's name or description refused before anything was tried; {@code field} names the field to blame. */
public class SnapshotInputException extends RuntimeException {

    private final String field;

    public SnapshotInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** "name" or "description". */
    public String field() {
        return field;
    }
}
