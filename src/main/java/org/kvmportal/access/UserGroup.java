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
import java.util.HashSet;
import java.util.Set;

/** A named set of users that passes its roles, quotas and VM grants on to its members. */
@Entity
@Table(name = "app_group")
class UserGroup {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 64)
    private String name;

    @Column(length = 256)
    private String description;

    @Embedded
    private QuotaColumns quotas = new QuotaColumns();

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "app_group_role", joinColumns = @JoinColumn(name = "group_id"))
    @Enumerated(EnumType.STRING)
    @Column(name = "role", nullable = false, length = 16)
    private Set<Role> roles = EnumSet.noneOf(Role.class);

    /** User ids rather than entities: a group never loads its members' accounts just to change itself. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "app_group_member", joinColumns = @JoinColumn(name = "group_id"))
    @Column(name = "user_id", nullable = false)
    private Set<Long> memberIds = new HashSet<>();

    protected UserGroup() {}

    UserGroup(String name, String description, Instant createdAt) {
        this.name = name;
        this.description = description;
        this.createdAt = createdAt;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    void setName(String name) {
        this.name = name;
    }

    String description() {
        return description;
    }

    void setDescription(String description) {
        this.description = description;
    }

    Set<Role> roles() {
        return Set.copyOf(roles);
    }

    void setRoles(Set<Role> roles) {
        this.roles.clear();
        this.roles.addAll(roles);
    }

    Set<Long> memberIds() {
        return Set.copyOf(memberIds);
    }

    boolean addMember(long userId) {
        return memberIds.add(userId);
    }

    boolean removeMember(long userId) {
        return memberIds.remove(userId);
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
