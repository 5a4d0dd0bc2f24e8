package org.kvmportal.testing;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.kvmportal.base.AccessRefusal;
import org.kvmportal.base.Failures;
import org.kvmportal.vm.VmService;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
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

    /** How an attempt ended, decided by the type of what it threw, never by its message. */
    public enum Outcome {
        /** It went through, or failed for a reason other than a right (bad input, state, busy, quota). */
        PASSED,
        /** Refused for lack of a right: Spring Security's {@code AccessDeniedException} or an {@link AccessRefusal}. */
        NO_RIGHT,
        /** Refused because nobody was signed in. */
        NOT_SIGNED_IN
    }

    /** Runs the attempt (joining a returned future) and says whether a right was missing. */
    public static Outcome outcome(Supplier<?> attempt) {
        try {
            if (attempt.get() instanceof CompletableFuture<?> future) {
                future.join();
            }
            return Outcome.PASSED;
        } catch (RuntimeException e) {
            return outcomeOf(e);
        }
    }

    public static Outcome outcomeOf(Throwable error) {
        var cause = Failures.causeOf(error);
        if (cause instanceof AuthenticationException) {
            return Outcome.NOT_SIGNED_IN;
        }
        return cause instanceof AccessDeniedException || cause instanceof AccessRefusal
                ? Outcome.NO_RIGHT
                : Outcome.PASSED;
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
