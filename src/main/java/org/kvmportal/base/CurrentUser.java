package org.kvmportal.base;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.stereotype.Component;

/**
 * Who is calling a service, for its rights checks and audit entries. Read through the security context
 * strategy Spring Security was configured with (Vaadin's, which also finds the user on a UI's push thread), the
 * same that method security checks, rather than through the static holder: another application context in the
 * same JVM, or a pool thread, can leave the static holder pointing at another strategy.
 */
@Component
public class CurrentUser {

    private final SecurityContextHolderStrategy contexts;

    public CurrentUser(SecurityContextHolderStrategy contexts) {
        this.contexts = contexts;
    }

    /** The caller's authentication; null outside a signed-in call. */
    public Authentication authentication() {
        return contexts.getContext().getAuthentication();
    }

    /** The caller's user name; services call it behind method security, which has let only the signed-in in. */
    public String username() {
        return authentication().getName();
    }
}
