package org.kvmportal.network;

import org.kvmportal.base.InputRefusedException;

/**
 * A network's input refused before anything was tried; its field is "host", "network", "name", "address",
 * "dhcpStart" or "dhcpEnd", or empty when no one field is to blame.
 */
public class NetworkInputException extends InputRefusedException {

    public NetworkInputException(String field, String message) {
        super(field, message);
    }
}
