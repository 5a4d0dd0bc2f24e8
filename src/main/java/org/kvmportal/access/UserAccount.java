package org.kvmportal.access;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

@Entity
@Table(name = "app_user")
class UserAccount {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 64)
    private String username;

    @Column(name = "password_hash", nullable = false, length = 100)
    private String passwordHash;

    @Column(name = "display_name", nullable = false, length = 128)
    private String displayName;

    @Column(nullable = false)
    private boolean enabled = true;

    @Column(name = "dark_theme", nullable = false)
    private boolean darkTheme;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(length = 254)
    private String email;

    @Column(name = "must_change_password", nullable = false)
    private boolean mustChangePassword;

    @Enumerated(EnumType.STRING)
    @Column(name = "auth_source", nullable = false, length = 8)
    private AuthSource authSource = AuthSource.LOCAL;

    @Embedded
    private QuotaColumns quotas = new QuotaColumns();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "app_user_role", joinColumns = @JoinColumn(name = "user_id"))
    @Enumerated(EnumType.STRING)
    @Column(name = "role", nullable = false, length = 16)
    private Set<Role> roles = EnumSet.noneOf(Role.class);

    protected UserAccount() {}

    UserAccount(String username, String displayName, String passwordHash, Set<Role> roles, Instant createdAt) {
        this.username = username;
        this.displayName = displayName;
        this.passwordHash = passwordHash;
        this.roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
        this.createdAt = createdAt;
    }

    Long id() {
        return id;
    }

    String username() {
        return username;
    }

    String displayName() {
        return displayName;
    }

    String passwordHash() {
        return passwordHash;
    }

    boolean enabled() {
        return enabled;
    }

    boolean darkTheme() {
        return darkTheme;
    }

    void setDarkTheme(boolean darkTheme) {
        this.darkTheme = darkTheme;
    }

    Set<Role> roles() {
        return Set.copyOf(roles);
    }

    void setRoles(Set<Role> roles) {
        this.roles.clear();
        this.roles.addAll(roles);
    }

    String email() {
        return email;
    }

    void setEmail(String email) {
        this.email = email;
    }

    void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    boolean mustChangePassword() {
        return mustChangePassword;
    }

    AuthSource authSource() {
        return authSource;
    }

    void setAuthSource(AuthSource authSource) {
        this.authSource = authSource;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Stores a new hash; {@code mustChange} makes the next sign-in choose another password first. */
    void setPassword(String passwordHash, boolean mustChange) {
        this.passwordHash = passwordHash;
        this.mustChangePassword = mustChange;
    }

    Quotas quotas() {
        // Hibernate leaves an embedded value null when all its columns are null.
        return quotas == null ? Quotas.NONE : quotas.get();
    }

    void setQuotas(Quotas quotas) {
        if (this.quotas == null) {
            this.quotas = new QuotaColumns();
        }
        this.quotas.set(quotas);
    }
}
