package org.kvmportal.vm;

import org.kvmportal.base.InputRefusedException;

/** A snapshot's name or description refused before anything was tried; its field is "name" or "description". */
public class SnapshotInputException extends InputRefusedException {

    public SnapshotInputException(String field, String message) {
        super(field, message);
    }
}
