package org.kvmportal.audit;

import java.util.stream.Collectors;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Who did something, for the audit log: the user name, the roles they acted with and the address of their
 * client. Taken when the action starts, on the thread that serves the person's request ({@link AuditLog#actor}),
 * and carried to wherever the entry is written: most actions end on a libvirt or audit thread, where neither
 * the request nor the security context exists any more.
 *
 * @param role the roles, without the {@code ROLE_} prefix, comma-separated; {@link #SYSTEM} for what the portal
 *     does by itself, {@link #ANONYMOUS} for someone not signed in (a failed sign-in, a refused console)
 * @param client the client's IP address; {@link #NO_CLIENT} for the portal's own work
 */
public record Actor(String username, String role, String client) {

    /** The role of entries the portal writes on its own behalf (retention purge): no person, no client. */
    public static final String SYSTEM = "SYSTEM";

    /** The role of someone who is not signed in. */
    public static final String ANONYMOUS = "ANONYMOUS";

    /** The client of the portal's own work. */
    public static final String NO_CLIENT = "-";

    /**
     * The user name of the portal's own entries: parentheses cannot occur in a user name (local names are
     * {@code a-z 0-9 . _ -}), so no account can pass for the portal.
     */
    public static final String PORTAL = "(portal)";

    /** The user name of an anonymous actor whose name nothing tells. */
    public static final String NOBODY = "(anonymous)";

    /** The portal itself, for scheduled and server-initiated work. */
    public static Actor portal() {
        return new Actor(PORTAL, SYSTEM, NO_CLIENT);
    }

    /** Someone not signed in (or not signed in as whom they claim), from this address. */
    public static Actor anonymous(String claimedName, String client) {
        return new Actor(claimedName == null || claimedName.isBlank() ? NOBODY : claimedName, ANONYMOUS, client);
    }

    /**
     * The person behind an authentication, from {@code client}: the address of the request they are making now,
     * or (null) the address they signed in from, which Spring Security keeps in the authentication's details.
     */
    public static Actor of(Authentication authentication, String client) {
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
            return anonymous(null, client);
        }
        String address = client != null
                ? client
                : authentication.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        return new Actor(authentication.getName(), roles(authentication), address);
    }

    /** The roles an authentication holds, without the ROLE_ prefix, sorted, comma-separated; null when none. */
    static String roles(Authentication authentication) {
        String roles = authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority != null && authority.startsWith("ROLE_"))
                .map(authority -> authority.substring("ROLE_".length()))
                .sorted()
                .collect(Collectors.joining(","));
        return roles.isEmpty() ? null : roles;
    }
}
