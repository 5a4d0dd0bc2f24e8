package org.kvmportal.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.Screenshot;
import org.kvmportal.testing.MutableClock;
import org.kvmportal.testing.SimulatedHost;
import org.kvmportal.testing.TestAccounts;
import org.kvmportal.testing.TestHostXml.RunState;
import org.kvmportal.testing.TestHostXml.Vm;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Thumbnails on a simulated host, whose test driver takes real screenshots (libvirt's own PNG). The
 * screenshots are counted by a decorator around the real hypervisor, which can also hold them in flight.
 */
@SpringBootTest
@WithMockUser(username = "thumbs-admin", roles = "ADMIN")
class VmThumbnailsTest {

    private static final long WAIT_SECONDS = 10;

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void simulatedHost(DynamicPropertyRegistry registry) {
        SimulatedHost.register(
                registry,
                dir,
                List.of(
                        new Vm("web-1", RunState.RUNNING, 1, 262_144),
                        new Vm("web-2", RunState.RUNNING, 1, 262_144),
                        new Vm("db-1", RunState.SHUT_OFF, 1, 262_144)));
    }

    @Autowired
    VmService vms;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    JdbcClient jdbc;

    private final AtomicInteger screenshots = new AtomicInteger();
    /** Screenshots complete only once this does: set to a pending future to hold them in flight. */
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    private final MutableClock clock = new MutableClock();
    private VmThumbnails thumbnails;

    @BeforeEach
    void hostIsConnected() throws InterruptedException {
        new TestAccounts(jdbc).user("thumbs-admin", "ADMIN");
        SimulatedHost.awaitListed(hypervisor, 3);
        thumbnails = new VmThumbnails(vms, counting(hypervisor), clock);
    }

    @Test
    void two_requests_within_ten_seconds_share_one_screenshot() throws Exception {
        var web1 = ref("web-1");

        byte[] first = thumbnail(web1).orElseThrow();
        clock.advance(Duration.ofSeconds(9));
        byte[] second = thumbnail(web1).orElseThrow();

        assertThat(screenshots).hasValue(1);
        assertThat(second).isSameAs(first);
        var image = ImageIO.read(new ByteArrayInputStream(first));
        assertThat(image.getWidth()).isLessThanOrEqualTo(Screenshot.MAX_WIDTH);
        assertThat(image.getHeight()).isLessThanOrEqualTo(Screenshot.MAX_HEIGHT);

        clock.advance(Duration.ofSeconds(1));
        thumbnail(web1);
        assertThat(screenshots).as("ten seconds on, a new one").hasValue(2);
    }

    @Test
    void fifty_viewers_of_one_vm_cause_one_screenshot_and_other_vms_get_their_own() throws Exception {
        for (int viewer = 0; viewer < 50; viewer++) {
            thumbnail(ref("web-1"));
        }
        thumbnail(ref("web-2"));

        assertThat(screenshots).hasValue(2);
    }

    @Test
    void only_one_screenshot_per_vm_is_in_flight_however_long_it_takes() throws Exception {
        var web1 = ref("web-1");
        gate = new CompletableFuture<>();

        var first = thumbnails.thumbnail(web1);
        clock.advance(Duration.ofSeconds(30));
        var second = thumbnails.thumbnail(web1);
        assertThat(screenshots).hasValue(1);
        assertThat(first).isNotDone();

        gate.complete(null);
        assertThat(second.get(WAIT_SECONDS, TimeUnit.SECONDS)).isPresent();
        thumbnail(web1);
        assertThat(screenshots).as("the finished one is 30 s old: replaced").hasValue(2);
    }

    @Test
    void a_vm_that_is_not_running_has_no_thumbnail_and_the_host_is_not_asked() throws Exception {
        assertThat(thumbnail(ref("db-1"))).isEmpty();
        assertThat(screenshots).hasValue(0);
    }

    @Test
    @WithMockUser(roles = "USER")
    void a_vm_the_user_may_not_see_has_no_thumbnail_and_the_host_is_not_asked() throws Exception {
        var web1 = hypervisor.domains().stream()
                .filter(vm -> vm.name().equals("web-1"))
                .findFirst()
                .orElseThrow()
                .ref();

        assertThat(thumbnail(web1)).isEmpty();
        assertThat(screenshots).hasValue(0);
    }

    @Test
    void vms_nobody_asked_about_for_a_minute_are_forgotten() throws Exception {
        thumbnail(ref("web-1"));
        assertThat(thumbnails.cached()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(61));
        thumbnail(ref("web-2"));

        assertThat(thumbnails.cached()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        thumbnail(ref("web-2"));
        assertThat(thumbnails.cached())
                .as("web-2 was asked about 30 s ago: kept")
                .isEqualTo(1);
    }

    private Optional<byte[]> thumbnail(DomainRef ref) throws Exception {
        return thumbnails.thumbnail(ref).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private DomainRef ref(String name) {
        return vms.visibleVms().stream()
                .filter(vm -> vm.name().equals(name))
                .findFirst()
                .map(DomainSummary::ref)
                .orElseThrow();
    }

    /** The real hypervisor, with its screenshots counted and held at {@link #gate}. */
    private Hypervisor counting(Hypervisor real) {
        return (Hypervisor) Proxy.newProxyInstance(
                Hypervisor.class.getClassLoader(), new Class<?>[] {Hypervisor.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(real, args);
                        if (method.getName().equals("screenshot")) {
                            screenshots.incrementAndGet();
                            var held = gate;
                            return ((CompletableFuture<?>) result).thenCombine(held, (screenshot, open) -> screenshot);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
