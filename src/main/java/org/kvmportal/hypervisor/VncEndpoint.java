package org.kvmportal.hypervisor;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where the portal reaches a running domain's VNC server. Always read from the domain's live XML on the
 * server: nothing a browser sends chooses it.
 */
public sealed interface VncEndpoint {

    SocketAddress address();

    record Tcp(String host, int port) implements VncEndpoint {
        @Override
        public SocketAddress address() {
            return new InetSocketAddress(host, port);
        }
    }

    record UnixSocket(Path path) implements VncEndpoint {
        @Override
        public SocketAddress address() {
            return UnixDomainSocketAddress.of(path);
        }
    }
}
