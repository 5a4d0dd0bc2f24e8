package org.kvmportal.access;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The local records of people who sign in through single sign-on. A name belongs to the source that first
 * used it: single sign-on never takes over a local account (nor one of the other provider), since whoever
 * controls the identity provider could otherwise become any local admin by naming a user after them.
 */
@Component
public class ExternalAccounts {

    static final int MAX_USERNAME_LENGTH = 64;
    private static final int MAX_DISPLAY_NAME_LENGTH = 128;
    private static final int MAX_EMAIL_LENGTH = 254;

    private record Existing(String username, AuthSource source, boolean enabled) {}

    private final UserAccounts accounts;
    private final UserAccountRepository repository;
    private final OutdatedSessions outdated;
    private final JdbcClient jdbc;

    ExternalAccounts(
            UserAccounts accounts, UserAccountRepository repository, OutdatedSessions outdated, JdbcClient jdbc) {
        this.accounts = accounts;
        this.repository = repository;
        this.outdated = outdated;
        this.jdbc = jdbc;
    }

    /**
     * Creates or updates the account of someone the identity provider just vouched for, with the roles it
     * gives them now. Their other sessions that hold other roles end once this is committed (a role the
     * provider took away must not live on in a browser signed in earlier), the refused cases included.
     *
     * @return the roles the new session holds: the provider's and those of the account's portal groups, as
     *     for local sign-in, so that the session holds exactly what {@link Accounts} says the user has
     *
     * @throws SignInRefusedException when the name (ignoring case) belongs to an account of another source,
     *     the account is disabled here, or the provider gives it no portal role (an existing account then
     *     loses the roles it had, so open consoles close too)
     */
    @Transactional(noRollbackFor = SignInRefusedException.class)
    public Set<Role> signIn(String username, String displayName, String email, AuthSource source, Set<Role> roles) {
        if (source == AuthSource.LOCAL) {
            throw new IllegalArgumentException("Local accounts do not sign in through single sign-on");
        }
        if (username == null || username.isBlank() || username.length() > MAX_USERNAME_LENGTH) {
            throw new SignInRefusedException(
                    username, "The identity provider sent no usable user name (1 to 64 characters).");
        }
        var existing = existing(username);
        for (var account : existing) {
            if (account.source() != source || !account.username().equals(username)) {
                throw new SignInRefusedException(
                        username,
                        "The user name '" + username + "' belongs to another account in KVM Portal ("
                                + account.source().name().toLowerCase(Locale.ROOT) + "). Ask an administrator.");
            }
            if (!account.enabled()) {
                throw new SignInRefusedException(username, "Your account is disabled in KVM Portal.");
            }
        }
        if (roles.isEmpty() && existing.isEmpty()) {
            throw noRole(username);
        }
        accounts.provisionExternal(
                username,
                clip(displayName == null || displayName.isBlank() ? username : displayName, MAX_DISPLAY_NAME_LENGTH),
                email == null || email.length() > MAX_EMAIL_LENGTH ? null : email,
                source,
                roles);
        outdated.endAfterSignIn(username, roles);
        if (roles.isEmpty()) {
            throw noRole(username);
        }
        var held = EnumSet.copyOf(roles);
        repository.groupRoles(username).forEach(role -> held.add(Role.valueOf(role)));
        return held;
    }

    private List<Existing> existing(String username) {
        return jdbc.sql("select username, auth_source, enabled from app_user where lower(username) = lower(:name)")
                .param("name", username)
                .query((rs, row) ->
                        new Existing(rs.getString(1), AuthSource.valueOf(rs.getString(2)), rs.getBoolean(3)))
                .list();
    }

    private static SignInRefusedException noRole(String username) {
        return new SignInRefusedException(
                username, "Your account has no role in KVM Portal. Ask an administrator for access.");
    }

    private static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }
}
