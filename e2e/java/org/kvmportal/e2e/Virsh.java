package org.kvmportal.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host's own view of its VMs, through virsh: what the portal should show, and a way to act behind its back. */
final class Virsh {

    private static final String URI = "qemu:///system";

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
        } catch (RuntimeException e) {
            System.err.println("Could not make sure " + domain + " is shut off: " + e.getMessage());
        }
    }

    private static String run(String... args) {
        var command = new ArrayList<>(List.of("virsh", "-q", "-c", URI));
        command.addAll(List.of(args));
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": no answer within 60 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed (" + process.exitValue() + "): " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run virsh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running virsh", e);
        }
    }
}
