package org.kvmportal.e2e;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A demo guest seen from outside the browser: what it wrote to its serial port (virtlogd keeps a copy, see
 * scripts/demo-host.sh), and how to type shell commands into its screen as a person would.
 */
final class GuestConsole {

    /** What the serial shell prints once the guest is up. */
    static final String SHELL_READY = "KVM Portal demo guest - busybox shell";

    /** Characters a US keyboard types with Shift, by the key that carries them. */
    private static final Map<Character, String> SHIFTED =
            Map.of('$', "Digit4", '(', "Digit9", ')', "Digit0", '*', "Digit8", '>', "Period", '|', "Backslash");

    private GuestConsole() {}

    static String serialLog(String vm) {
        try {
            var log = Path.of("/var/log/libvirt/qemu", vm + "-serial0.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the guest's serial output contains {@code text}, at most {@code timeout}. */
    static void awaitSerial(String vm, String text, Duration timeout) {
        awaitSerial(vm, text, timeout, 1);
    }

    /** Waits until the guest's serial output contains {@code text} at least {@code times} times. */
    static void awaitSerial(String vm, String text, Duration timeout, int times) {
        var deadline = Instant.now().plus(timeout);
        while (countInSerial(vm, text) < times) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(vm + " did not write \"" + text + "\" to its serial port within " + timeout
                        + "; it wrote:\n" + tail(serialLog(vm)));
            }
            sleep(200);
        }
    }

    static int countInSerial(String vm, String text) {
        return serialLog(vm).split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    /**
     * Types a line with real key presses (Shift held where a US keyboard needs it), as the guest decodes
     * keys, not characters, then Enter.
     */
    static void typeLine(Page page, String line) {
        for (char c : line.toCharArray()) {
            String shifted = SHIFTED.get(c);
            if (shifted != null) {
                page.keyboard().press("Shift+" + shifted);
            } else if (c >= 'A' && c <= 'Z') {
                page.keyboard().press("Shift+Key" + c);
            } else {
                page.keyboard().type(String.valueOf(c));
            }
        }
        page.keyboard().press("Enter");
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
