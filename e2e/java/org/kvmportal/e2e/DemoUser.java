package org.kvmportal.e2e;

/** The users the demo profile creates, one per role plus an end user. */
enum DemoUser {
    ADMIN("admin", "Admin"),
    HELPDESK("helpdesk", "Helpdesk"),
    EDUCATOR("educator", "Educator"),
    ALICE("alice", "Alice"),
    BOB("bob", "Bob");

    private final String username;
    private final String displayName;

    DemoUser(String username, String displayName) {
        this.username = username;
        this.displayName = displayName;
    }

    String username() {
        return username;
    }

    String displayName() {
        return displayName;
    }

    String password() {
        return "demo-" + username + "-pass";
    }
}
