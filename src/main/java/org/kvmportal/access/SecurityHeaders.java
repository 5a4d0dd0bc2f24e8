package org.kvmportal.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers on every response. Spring Security writes its headers only when its filter chain sees
 * the response commit, which Vaadin's bootstrap page (the login page among them) can bypass; this filter
 * runs first and sets them up front, so no page goes out without them.
 */
class SecurityHeaders extends OncePerRequestFilter {

    static final String FRAME_ANCESTORS = "frame-ancestors 'self'";
    static final String FRAME_OPTIONS = "SAMEORIGIN";
    static final String REFERRER_POLICY = "same-origin";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", FRAME_ANCESTORS);
        response.setHeader("X-Frame-Options", FRAME_OPTIONS);
        response.setHeader("Referrer-Policy", REFERRER_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        chain.doFilter(request, response);
    }
}
