package org.kvmportal.base;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Opens Vaadin's push WebSocket without permessage-deflate, by hiding the browser's offer of it from the
 * upgrade. Compression held ~48 KB of heap per open UI (Tomcat's 32 KB inflater window and two 8 KB
 * buffers) plus zlib's native state, for push messages that are small (docs/benchmarks.md). Vaadin and
 * Atmosphere offer no setting for it, and Tomcat 11 none that is not global.
 */
final class UncompressedPush extends OncePerRequestFilter {

    static final String PATH = "/VAADIN/push";
    static final String EXTENSIONS = "Sec-WebSocket-Extensions";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        chain.doFilter(upgrade ? new WithoutExtensions(request) : request, response);
    }

    private static final class WithoutExtensions extends HttpServletRequestWrapper {

        WithoutExtensions(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return EXTENSIONS.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return EXTENSIONS.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !EXTENSIONS.equalsIgnoreCase(name))
                    .toList());
        }
    }
}
