package org.kvmportal.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Runs commands the way an admin would at a shell, to act on and check the host outside the portal. */
public final class Virsh {

    public static final String SYSTEM = "qemu:///system";

    /**
     * For a {@code @DynamicPropertySource}: the portal under test has this host as its only one, named
     * "local", and keeps its data in {@code dataDir} (a supplier: a {@code @TempDir} is set later).
     */
    public static void asOnlyHost(DynamicPropertyRegistry registry, Supplier<Path> dataDir) {
        registry.add("kvmportal.hosts[0].name", () -> "local");
        registry.add("kvmportal.hosts[0].uri", () -> SYSTEM);
        registry.add("kvmportal.data-dir", () -> dataDir.get().toString());
    }

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
