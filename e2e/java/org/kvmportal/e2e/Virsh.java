package org.kvmportal.e2e;

/** The host's own view of its VMs, through virsh: what the portal should show, and a way to act behind its back. */
final class Virsh {

    /** A domain state as virsh prints it, and how the portal's state badge shows it. */
    record State(String label, String dataState) {}

    private Virsh() {}

    static State domstate(String domain) {
        String state = run("domstate", domain).strip();
        return switch (state) {
            case "running" -> new State("Running", "RUNNING");
            case "idle" -> new State("Blocked", "BLOCKED");
            case "paused" -> new State("Paused", "PAUSED");
            case "in shutdown" -> new State("Shutting down", "SHUTTING_DOWN");
            case "shut off" -> new State("Shut off", "SHUT_OFF");
            case "crashed" -> new State("Crashed", "CRASHED");
            case "pmsuspended" -> new State("Suspended", "SUSPENDED");
            default -> throw new IllegalStateException("virsh domstate " + domain + ": unexpected '" + state + "'");
        };
    }

    static void start(String domain) {
        run("start", domain);
    }

    static void destroy(String domain) {
        run("destroy", domain);
    }

    /** For clean-up: a failure here must not hide the test's own result. */
    static void destroyIfRunning(String domain) {
        try {
            if (!domstate(domain).dataState().equals("SHUT_OFF")) {
                destroy(domain);
            }
        } catch (RuntimeException | AssertionError e) {
            System.err.println("Could not make sure " + domain + " is shut off: " + e.getMessage());
        }
    }

    private static String run(String... args) {
        return org.kvmportal.testing.Virsh.virsh(args);
    }
}
