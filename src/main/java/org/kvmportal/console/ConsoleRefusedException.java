package org.kvmportal.console;

/** A console cannot be opened; the message says why, for the person who asked. */
public class ConsoleRefusedException extends RuntimeException {

    public ConsoleRefusedException(String message) {
        super(message);
    }
}
