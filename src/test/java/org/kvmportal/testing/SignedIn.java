package org.kvmportal.testing;

import java.util.function.Supplier;
import org.kvmportal.vm.VmService;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** Service calls as a given person, the way a signed-in request makes them; the previous context comes back. */
public final class SignedIn {

    private SignedIn() {}

    public static <T> T as(String username, String role, Supplier<T> work) {
        var previous = SecurityContextHolder.getContext();
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                username, null, AuthorityUtils.createAuthorityList("ROLE_" + role)));
        SecurityContextHolder.setContext(context);
        try {
            return work.get();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    public static void as(String username, String role, Runnable work) {
        as(username, role, () -> {
            work.run();
            return null;
        });
    }

    /** The message a refused attempt gives the person, as views show it; null when it went through. */
    public static String refusal(Runnable attempt) {
        try {
            attempt.run();
            return null;
        } catch (RuntimeException e) {
            return VmService.messageOf(e);
        }
    }
}
