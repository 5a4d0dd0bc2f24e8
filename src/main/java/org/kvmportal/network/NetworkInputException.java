package org.kvmportal.network;

/** Input refused before anything was tried; {@code field} names the form field to blame. */
public class NetworkInputException extends RuntimeException {

    private final String field;

    public NetworkInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** "host", "network", "name", "address", "dhcpStart" or "dhcpEnd"; empty when no one field is to blame. */
    public String field() {
        return field;
    }
}
