package org.kvmportal.hypervisor.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.VncEndpoint;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Finds a running domain's VNC server from its live XML and the URI of the host it runs on.
 *
 * <p>On a local host ({@code qemu:///system}) the server's own listen address is used, loopback included.
 * On a remote host a server bound to loopback or a UNIX socket cannot be reached from here; one bound to
 * all addresses is reached through the host's name from its URI.
 */
final class VncLocator {

    private VncLocator() {}

    static VncEndpoint locate(Document liveXml, String hostUri) {
        Element vnc = vncGraphics(liveXml);
        if (vnc == null) {
            throw new HypervisorException("This virtual machine has no VNC display.");
        }
        String remoteHost = remoteHostOf(hostUri);
        String socket = socketPath(vnc);
        if (!socket.isEmpty()) {
            if (remoteHost != null) {
                throw unreachable("a UNIX socket on " + remoteHost);
            }
            return new VncEndpoint.UnixSocket(Path.of(socket));
        }
        int port = port(vnc);
        if (port <= 0) {
            throw new HypervisorException("The VNC display of this virtual machine is not listening (is it running?).");
        }
        String listen = listenAddress(vnc);
        if (remoteHost == null) {
            return new VncEndpoint.Tcp(isWildcard(listen) ? "127.0.0.1" : listen, port);
        }
        if (isLoopback(listen)) {
            throw unreachable("the loopback address of " + remoteHost);
        }
        return new VncEndpoint.Tcp(isWildcard(listen) ? remoteHost : listen, port);
    }

    private static HypervisorException unreachable(String where) {
        return new HypervisorException("The VNC display listens only on " + where
                + ", which the portal cannot reach. Make it listen on an address the portal can reach.");
    }

    private static Element vncGraphics(Document xml) {
        var all = xml.getElementsByTagName("graphics");
        for (int i = 0; i < all.getLength(); i++) {
            if (all.item(i) instanceof Element element && "vnc".equals(element.getAttribute("type"))) {
                return element;
            }
        }
        return null;
    }

    private static int port(Element vnc) {
        try {
            return Integer.parseInt(vnc.getAttribute("port"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String socketPath(Element vnc) {
        if (!vnc.getAttribute("socket").isEmpty()) {
            return vnc.getAttribute("socket");
        }
        var listens = vnc.getElementsByTagName("listen");
        for (int i = 0; i < listens.getLength(); i++) {
            var listen = (Element) listens.item(i);
            if ("socket".equals(listen.getAttribute("type"))) {
                return listen.getAttribute("socket");
            }
        }
        return "";
    }

    private static String listenAddress(Element vnc) {
        var listens = vnc.getElementsByTagName("listen");
        for (int i = 0; i < listens.getLength(); i++) {
            var listen = (Element) listens.item(i);
            if ("address".equals(listen.getAttribute("type"))
                    && !listen.getAttribute("address").isEmpty()) {
                return listen.getAttribute("address");
            }
        }
        return vnc.getAttribute("listen");
    }

    private static boolean isWildcard(String address) {
        return address.isEmpty() || address.equals("0.0.0.0") || address.equals("::");
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("localhost");
    }

    /** The host name in a remote URI ({@code qemu+ssh://root@lab-1/system}); null for a local one. */
    private static String remoteHostOf(String hostUri) {
        try {
            String host = new URI(hostUri).getHost();
            return host == null || host.isEmpty() || host.equals("localhost") ? null : host;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
