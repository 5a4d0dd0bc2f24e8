package org.kvmportal.access;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Ends every HTTP session of a user at once (account disabled, deleted or given a new password).
 *
 * <p>Why not Spring's {@code SessionRegistry}: it only marks sessions expired, and its filter acts on the next
 * HTTP request, but Vaadin talks over a push WebSocket that never passes the filter chain again; a disabled
 * user would keep working. So this keeps the live {@link HttpSession} objects themselves (fed by the
 * container's created/destroyed callbacks; Spring Boot registers the bean as a listener) and invalidates
 * them, which also destroys their Vaadin sessions. Whose a session is comes from the security context the
 * session itself stores, read when it is needed: it cannot go stale when the session id changes at sign-in.
 */
@Component
class SignedInSessions implements HttpSessionListener {

    private static final Logger log = LoggerFactory.getLogger(SignedInSessions.class);

    /** The session objects, not their ids: an id changes at sign-in, the object does not. */
    private final Set<HttpSession> live = ConcurrentHashMap.newKeySet();

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        live.add(event.getSession());
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        live.remove(event.getSession());
    }

    /** Invalidates every session signed in as {@code username}; returns how many there were. */
    int endAll(String username) {
        int ended = 0;
        for (var session : List.copyOf(live)) {
            if (username.equals(owner(session))) {
                try {
                    session.invalidate();
                    ended++;
                } catch (IllegalStateException alreadyGone) {
                    // Ended by itself meanwhile: just as good.
                }
                live.remove(session);
            }
        }
        if (ended > 0) {
            log.info("Ended {} session(s) of {}", ended, username);
        }
        return ended;
    }

    private static String owner(HttpSession session) {
        try {
            var attribute = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
            return attribute instanceof SecurityContext context && context.getAuthentication() != null
                    ? context.getAuthentication().getName()
                    : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }
}
