package org.kvmportal.console.relay;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;

/**
 * Declines permessage-deflate, which every browser offers and the container would otherwise accept: VNC
 * screen updates are compressed already (Tight, ZRLE), and deflating the stream again cost the relay 30
 * times the CPU per megabyte, held it to ~45 MB/s, and added ~50 KiB of heap (and zlib's native state) to
 * every open console (docs/benchmarks.md). Tomcat negotiates extensions from the request's own header
 * whatever the handshake handler selects, so the container sees the request without that header.
 */
final class UncompressedUpgrade implements RequestUpgradeStrategy {

    private final RequestUpgradeStrategy container = new StandardWebSocketUpgradeStrategy();

    @Override
    public String[] getSupportedVersions() {
        return container.getSupportedVersions();
    }

    @Override
    public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
        return List.of();
    }

    @Override
    public void upgrade(
            ServerHttpRequest request,
            ServerHttpResponse response,
            String selectedProtocol,
            List<WebSocketExtension> selectedExtensions,
            Principal user,
            WebSocketHandler handler,
            Map<String, Object> attributes) {
        var offered = request instanceof ServletServerHttpRequest servlet
                ? new ServletServerHttpRequest(new WithoutExtensionOffers(servlet.getServletRequest()))
                : request;
        container.upgrade(offered, response, selectedProtocol, List.of(), user, handler, attributes);
    }

    /** The request as the container sees it for the upgrade: without the client's extension offers. */
    private static final class WithoutExtensionOffers extends HttpServletRequestWrapper {

        WithoutExtensionOffers(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return isOffer(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return isOffer(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !isOffer(name))
                    .toList());
        }

        private static boolean isOffer(String name) {
            return WebSocketHttpHeaders.SEC_WEBSOCKET_EXTENSIONS.equalsIgnoreCase(name);
        }
    }
}
