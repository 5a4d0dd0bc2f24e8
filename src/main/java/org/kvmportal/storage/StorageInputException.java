package org.kvmportal.storage;

import org.kvmportal.base.InputRefusedException;

/**
 * Storage input refused before anything was tried; its field is "host", "pool", "name", "format", "size" or
 * "file", or empty when no one field is to blame.
 */
public class StorageInputException extends InputRefusedException {

    public StorageInputException(String field, String message) {
        super(field, message);
    }
}
