package org.kvmportal.access;

import java.util.Set;

/** A group's editable details as the admin's form holds them. */
public record GroupChanges(String name, String description, Set<Role> roles, Quotas quotas) {}
