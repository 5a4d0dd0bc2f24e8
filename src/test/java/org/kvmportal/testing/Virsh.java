package org.kvmportal.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands the way an admin would at a shell, to act on and check the host outside the portal. */
public final class Virsh {

    public static final String SYSTEM = "qemu:///system";

    private Virsh() {}

    public static String virsh(String... args) {
        var command = new ArrayList<>(List.of("virsh", "-q", "-c", SYSTEM));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Like {@link #virsh} but for cleanup: a failure (say, the VM was already off) is fine. */
    public static void virshQuietly(String... args) {
        try {
            virsh(args);
        } catch (AssertionError ignored) {
            // cleanup only
        }
    }

    public static String run(List<String> command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("Timed out: " + command);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " failed (" + process.exitValue() + "): " + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted: " + command, e);
        }
    }
}
