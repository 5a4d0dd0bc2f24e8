package org.kvmportal.access;

import java.util.Set;

/** An account's editable details as the admin's form holds them; {@code roles} are the user's own. */
public record UserChanges(String displayName, String email, Set<Role> roles, Quotas quotas) {}
