package org.kvmportal.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kvmportal.testing.Virsh.virshQuietly;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kvmportal.hypervisor.DomainStateChanged;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStateChanged;
import org.kvmportal.hypervisor.HypervisorException;
import org.kvmportal.hypervisor.PowerState;
import org.kvmportal.hypervisor.Screenshot;
import org.kvmportal.testing.Virsh;

/**
 * Screenshots of a real QEMU guest on {@code qemu:///system}. Uses only demo-charlie: other tests and people
 * use demo-alpha and demo-bravo on the same daemon at the same time.
 */
class ScreenshotIT {

    private static final String VM = "demo-charlie";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RecordingEvents events = new RecordingEvents();
    private LibvirtHypervisor hypervisor;

    @BeforeEach
    void connect() throws InterruptedException {
        hypervisor = new LibvirtHypervisor(Map.of("local", Virsh.SYSTEM), events, Clock.systemUTC());
        events.await(HostStateChanged.class, e -> e.status().state() == HostState.CONNECTED, WAIT);
    }

    @AfterEach
    void cleanUp() {
        virshQuietly("destroy", VM);
        hypervisor.close();
    }

    @Test
    void a_running_guests_screen_comes_back_as_a_png_thumbnail_showing_something() throws Exception {
        var charlie = running();

        // Right after the start the screen may still be blank: wait for the guest to draw on it.
        long deadline = System.nanoTime() + WAIT.toNanos();
        Screenshot screenshot;
        BufferedImage image;
        do {
            screenshot = hypervisor.screenshot(charlie.ref()).get(10, TimeUnit.SECONDS);
            image = ImageIO.read(new ByteArrayInputStream(screenshot.png()));
            assertThat(image.getWidth()).isEqualTo(screenshot.width()).isBetween(1, Screenshot.MAX_WIDTH);
            assertThat(image.getHeight()).isEqualTo(screenshot.height()).isBetween(1, Screenshot.MAX_HEIGHT);
            assertThat(Math.max(image.getWidth(), image.getHeight()))
                    .as("scaled to fit, not smaller")
                    .isGreaterThanOrEqualTo(Math.min(Screenshot.MAX_WIDTH, Screenshot.MAX_HEIGHT));
            if (colours(image) > 1) {
                break;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        assertThat(colours(image)).as("the guest's console text shows").isGreaterThan(1);
        assertThat(screenshot.png().length).isBetween(100, 200_000);

        long[] millis = new long[5];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            hypervisor.screenshot(charlie.ref()).get(10, TimeUnit.SECONDS);
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        System.out.println("Screenshot + scale of " + VM + " in ms: " + java.util.Arrays.toString(millis));
    }

    @Test
    void a_stopped_guest_has_no_screen_to_show() throws Exception {
        var charlie = running();
        virshQuietly("destroy", VM);
        events.await(
                DomainStateChanged.class,
                e -> e.domain().ref().equals(charlie.ref()) && e.domain().state() == PowerState.SHUT_OFF,
                WAIT);

        assertThatThrownBy(() -> hypervisor.screenshot(charlie.ref()).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(HypervisorException.class)
                .hasMessage("Could not take a screenshot of " + VM + ": the virtual machine is not running.");
    }

    private static int colours(BufferedImage image) {
        var seen = new HashSet<Integer>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }

    private DomainSummary running() throws InterruptedException {
        var charlie = hypervisor.domains().stream()
                .filter(domain -> domain.name().equals(VM))
                .findFirst()
                .orElseThrow(() -> new AssertionError(VM + " is not defined: run scripts/demo-host.sh"));
        if (charlie.state() != PowerState.RUNNING) {
            hypervisor.start(charlie.ref()).join();
            events.await(
                    DomainStateChanged.class,
                    e -> e.domain().ref().equals(charlie.ref()) && e.domain().state() == PowerState.RUNNING,
                    WAIT);
        }
        return charlie;
    }
}
