package org.kvmportal.access;

/** What a person may do in the portal. Spring Security sees these as authorities {@code ROLE_<name>}. */
public enum Role {
    /** Uses the VMs assigned to them. */
    USER,
    /** Supports any user's VMs: power actions and console, no create, edit or delete. */
    HELPDESK,
    /** Hands out lab VMs to a class and takes them back. */
    EDUCATOR,
    /** Everything, hosts included. */
    ADMIN;

    public static final String ADMIN_NAME = "ADMIN";
    public static final String HELPDESK_NAME = "HELPDESK";
}
