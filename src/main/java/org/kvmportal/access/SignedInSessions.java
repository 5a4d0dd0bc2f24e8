package org.kvmportal.access;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Ends every HTTP session of a user at once (account disabled, deleted or given a new password), and every
 * session whose roles are no longer those its user holds (see {@link #endOutdated}).
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
    private static final String ROLE_PREFIX = "ROLE_";

    /** The session objects, not their ids: an id changes at sign-in, the object does not. */
    private final Set<HttpSession> live = ConcurrentHashMap.newKeySet();

    private final Accounts accounts;

    SignedInSessions(Accounts accounts) {
        this.accounts = accounts;
    }

    /** The sessions of one user that {@link #endOutdated} ended: the roles they held and those given now. */
    record Outdated(String username, int sessions, Set<String> heldRoles, Set<String> currentRoles) {}

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
                end(session);
                ended++;
            }
        }
        if (ended > 0) {
            log.info("Ended {} session(s) of {}", ended, username);
        }
        return ended;
    }

    /**
     * Ends every session, of {@code usernames} only or of everyone when that is null, whose roles differ from
     * those the database gives its user now (none for a disabled or deleted account). A session's authorities
     * are fixed at sign-in and {@code @PreAuthorize} and Vaadin's view checks read them, so a session that
     * holds other roles than its user has must not serve another request; its user signs in again and gets
     * the current ones. Comparing, rather than being told whose roles changed, covers every path that changes
     * roles: a user's own, a group's, a membership, a deleted group, a single sign-on mapping.
     */
    List<Outdated> endOutdated(Collection<String> usernames) {
        var signedIn = new HashMap<HttpSession, Authentication>();
        for (var session : List.copyOf(live)) {
            var authentication = authentication(session);
            if (authentication != null && (usernames == null || usernames.contains(authentication.getName()))) {
                signedIn.put(session, authentication);
            }
        }
        if (signedIn.isEmpty()) {
            return List.of();
        }
        var current = accounts.currentRoles(
                signedIn.values().stream().map(Authentication::getName).collect(Collectors.toSet()));
        var ended = new TreeMap<String, Outdated>();
        signedIn.forEach((session, authentication) -> {
            String username = authentication.getName();
            var held = roles(authentication);
            var now = current.getOrDefault(username, Set.of()).stream()
                    .map(Role::name)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (held.equals(now)) {
                return;
            }
            end(session);
            ended.merge(
                    username,
                    new Outdated(username, 1, held, now),
                    (a, b) -> new Outdated(username, a.sessions() + 1, a.heldRoles(), now));
        });
        ended.values()
                .forEach(outdated -> log.info(
                        "Ended {} session(s) of {}: they held roles {}, the user has {}",
                        outdated.sessions(),
                        outdated.username(),
                        outdated.heldRoles(),
                        outdated.currentRoles()));
        return List.copyOf(ended.values());
    }

    private void end(HttpSession session) {
        try {
            session.invalidate();
        } catch (IllegalStateException alreadyGone) {
            // Ended by itself meanwhile: just as good.
        }
        live.remove(session);
    }

    /** The portal roles a session holds; Spring Security's other authorities (FACTOR_*) are not roles. */
    private static Set<String> roles(Authentication authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority != null && authority.startsWith(ROLE_PREFIX))
                .map(authority -> authority.substring(ROLE_PREFIX.length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String owner(HttpSession session) {
        var authentication = authentication(session);
        return authentication == null ? null : authentication.getName();
    }

    private static Authentication authentication(HttpSession session) {
        try {
            var attribute = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
            return attribute instanceof SecurityContext context ? context.getAuthentication() : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }
}
