package org.kvmportal.console.relay;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.kvmportal.Application;
import org.kvmportal.benchmark.BenchmarkReport;
import org.kvmportal.benchmark.LiveHeap;
import org.kvmportal.benchmark.Samples;
import org.kvmportal.benchmark.console.ConsoleLoad;
import org.kvmportal.benchmark.console.ProcessCpu;
import org.kvmportal.benchmark.console.ProxyProcess;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.console.ConsoleService;
import org.kvmportal.console.ConsoleSessions;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.VncEndpoint;
import org.kvmportal.testing.TestHostXml;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console relay against Debian's websockify, side by side in one run, both in front of the same fake
 * VNC server ({@link ConsoleLoad}, in a JVM of its own together with every client), with direct TCP and a
 * plain TCP relay (socat: no WebSocket, no HTTP, no ticket) as the references: bulk throughput and CPU per MB, echo round trips, connect to first RFB byte, heap per idle
 * console, and a browser that stops reading. The portal runs here, in this JVM, as in production but for
 * its display locator, which points at the fake server. Prints figures; fails only when something is broken.
 */
@SpringBootTest(
        classes = Application.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            // One user opens a few hundred consoles here; the limits exist for people, not for benchmarks.
            "kvmportal.console.tickets-per-minute=1000000",
            "kvmportal.console.max-per-user=1000"
        })
@ActiveProfiles("demo")
@Import(ConsoleRelayBenchmark.FakeDisplay.class) // explicit: with classes= set, nested ones are not picked up
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleRelayBenchmark {

    private static final String VM = "bench-vm";
    private static final AtomicInteger FAKE_SERVER_PORT = new AtomicInteger();
    private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    private static final int ROUNDS = 7;
    private static final long BULK_BYTES = 1L << 30;
    private static final int IDLE = 200;
    private static final int ACTIVE = 10;

    /** Points the relay at the fake server, wherever the load generator started it. */
    @TestConfiguration
    static class FakeDisplay {
        @Bean
        @Primary
        DisplayLocator fakeDisplayLocator(Hypervisor hypervisor) {
            return new DisplayLocator(hypervisor) {
                @Override
                VncEndpoint locate(DomainRef vm) {
                    return new VncEndpoint.Tcp("127.0.0.1", FAKE_SERVER_PORT.get());
                }
            };
        }
    }

    @DynamicPropertySource
    static void benchHost(DynamicPropertyRegistry registry) throws Exception {
        var dir = BenchmarkReport.directory();
        String uri = TestHostXml.write(
                dir.resolve("hosts").resolve("console.xml"),
                List.of(new TestHostXml.Vm(VM, TestHostXml.RunState.RUNNING, 1, 262_144)));
        registry.add("kvmportal.hosts[0].name", () -> "bench");
        registry.add("kvmportal.hosts[0].uri", () -> uri);
        var data = Files.createTempDirectory(Files.createDirectories(dir.resolve("console-data")), "run-");
        registry.add("kvmportal.data-dir", data::toString);
    }

    /** One way to the fake server: its target in {@link ConsoleLoad}'s terms and its proxy's CPU time. */
    private record Way(String name, String target, boolean ticketed, LongSupplier cpuMillis) {}

    @LocalServerPort
    int port;

    @Autowired
    Hypervisor hypervisor;

    @Autowired
    ConsoleService consoles;

    @Autowired
    ConsoleSessions sessions;

    private final BenchmarkReport report = new BenchmarkReport("console-relay");
    private ConsoleLoad load;
    private ProxyProcess websockify;
    private ProxyProcess socat;
    private DomainRef vm;
    private String httpSession;
    private Way direct;
    private Way tcpRelay;
    private Way peer;
    private Way ours;
    private Recording jfr;

    @BeforeAll
    void start() throws Exception {
        load = ConsoleLoad.start();
        FAKE_SERVER_PORT.set(load.serverPort());
        websockify = ProxyProcess.websockify(
                load.serverPort(), BenchmarkReport.directory().resolve("websockify.log"));
        socat = ProxyProcess.socat(
                load.serverPort(), BenchmarkReport.directory().resolve("socat.log"));
        vm = awaitVm();
        httpSession = signIn("admin", "demo-admin-pass");
        long self = ProcessHandle.current().pid();
        direct = new Way("direct TCP", "direct", false, () -> 0);
        tcpRelay = new Way(
                "plain TCP relay (socat)", "tcp:" + socat.port(), false, () -> ProcessCpu.treeMillis(socat.pid()));
        peer = new Way(
                "websockify", "websockify:" + websockify.port(), false, () -> ProcessCpu.treeMillis(websockify.pid()));
        ours = new Way("portal relay", "portal:" + port + ":" + httpSession, true, () -> ProcessCpu.ownMillis(self));
        report.line(
                "Peer: %s, one process per connection; reference: %s; fake VNC server and all clients in a"
                        + " separate JVM (pid %d)",
                websockify.describe(), socat.describe(), load.pid());
        report.line("");
        warmUp();
        if (Boolean.getBoolean("benchmark.jfr")) {
            // Profiling (-Dbenchmark.jfr=true): the measured part only, with the "profile" settings (method
            // samples every 10 ms, thread parks, socket reads and writes, GC pauses).
            jfr = new Recording(Configuration.getConfiguration("profile"));
            jfr.setDestination(BenchmarkReport.directory().resolve("console-relay.jfr"));
            jfr.start();
        }
    }

    @AfterAll
    void stop() throws Exception {
        report.loadAverage("at end");
        if (jfr != null) {
            jfr.stop(); // written to its destination
        }
        if (load != null) {
            load.close();
        }
        if (websockify != null) {
            websockify.close();
        }
        if (socat != null) {
            socat.close();
        }
    }

    /** The JIT compiles the relay's paths before anything is timed; websockify gets the same traffic. */
    private void warmUp() throws Exception {
        for (var way : List.of(peer, ours)) {
            load.command("connect " + way.target() + " 50", tickets(way, 50));
            load.command("echo " + way.target() + " 6:2000", tickets(way, 1));
            load.command("echo " + way.target() + " 65536:200", tickets(way, 1));
            for (int i = 0; i < 3; i++) {
                load.command("prepare " + way.target(), tickets(way, 1));
                load.command("bulk " + (256L << 20), List.of());
                load.command("done", List.of());
            }
        }
    }

    @Test
    @Order(1)
    void bulk_throughput_and_cpu_per_megabyte() throws Exception {
        report.line(
                "### Bulk server-to-browser transfer: %d MiB per run, %d runs per way, in turns",
                BULK_BYTES >> 20, ROUNDS);
        report.line("");
        long idleStart = ours.cpuMillis().getAsLong();
        Thread.sleep(5_000);
        double idleMsPerS = (ours.cpuMillis().getAsLong() - idleStart) / 5.0;
        var throughput = new LinkedHashMap<Way, List<Double>>();
        var cpuPerMb = new LinkedHashMap<Way, List<Double>>();
        var framing = new LinkedHashMap<Way, String>();
        for (int round = 0; round < ROUNDS; round++) {
            for (var way : inTurn(round)) {
                framing.put(
                        way,
                        load.command("prepare " + way.target(), tickets(way, 1)).getFirst());
                Thread.sleep(200);
                long cpuBefore = way.cpuMillis().getAsLong();
                long nanos = Long.parseLong(
                        load.command("bulk " + BULK_BYTES, List.of()).getFirst());
                long cpu = way.cpuMillis().getAsLong() - cpuBefore;
                load.command("done", List.of());
                double mb = BULK_BYTES / 1e6;
                throughput.computeIfAbsent(way, w -> new ArrayList<>()).add(mb / (nanos / 1e9));
                cpuPerMb.computeIfAbsent(way, w -> new ArrayList<>()).add(cpu / mb);
            }
        }
        report.line("| way | MB/s, median (range) | proxy CPU ms per MB, median (range) | WebSocket |");
        report.line("|---|---|---|---|");
        for (var way : ways()) {
            report.line(
                    "| %s | %s | %s | %s |",
                    way.name(),
                    medianAndRange(throughput.get(way), "%.0f"),
                    way == direct ? "-" : medianAndRange(cpuPerMb.get(way), "%.3f"),
                    way == direct || way == tcpRelay
                            ? "-"
                            : framing.get(way) + " (the client offers permessage-deflate, as browsers do)");
        }
        report.line("");
        report.line(
                "The portal's JVM used %.1f ms of CPU per second while idle (counted in its figure above).",
                idleMsPerS);
        // Each round's ratio compares runs a few seconds apart, so the load of the shared machine cancels out.
        var ratios = IntStream.range(0, ROUNDS)
                .mapToObj(
                        r -> throughput.get(ours).get(r) / throughput.get(peer).get(r))
                .toList();
        report.line(
                "Throughput ratio ours/websockify per round: %s; ratio of the medians %.2f.",
                medianAndRange(ratios, "%.2f"), median(throughput.get(ours)) / median(throughput.get(peer)));
        report.line("");
        double ratio = median(ratios);
        result("bulk throughput ours/websockify %.2fx (median of rounds); target >= 1.5x", ratio, ratio >= 1.5);
        double ourCpu = median(cpuPerMb.get(ours));
        double peerCpu = median(cpuPerMb.get(peer));
        result("CPU per MB ours %.3f ms vs websockify %.3f ms; target no worse", ourCpu, peerCpu, ourCpu <= peerCpu);
    }

    @Test
    @Order(2)
    void echo_round_trips() throws Exception {
        for (int size : new int[] {6, 65536}) {
            int count = size < 1024 ? 4000 : 400;
            report.line("### Echo round trip of %d bytes: %d runs of %d per way, in turns", size, ROUNDS, count);
            report.line("");
            var samples = new LinkedHashMap<Way, Samples>();
            for (int round = 0; round < ROUNDS; round++) {
                for (var way : inTurn(round)) {
                    var s = samples.computeIfAbsent(way, w -> new Samples(w.name()));
                    for (long nanos :
                            load.samples("echo " + way.target() + " " + size + ":" + count, tickets(way, 1))) {
                        s.add(nanos);
                    }
                }
            }
            percentileTable(samples);
            var d = samples.get(direct);
            var p = samples.get(peer);
            var o = samples.get(ours);
            result(
                    "echo %d B p99 ours %.3f ms vs websockify %.3f ms (%.2fx); target <= 0.5x",
                    size,
                    o.percentileMs(99),
                    p.percentileMs(99),
                    o.percentileMs(99) / p.percentileMs(99),
                    o.percentileMs(99) <= 0.5 * p.percentileMs(99));
            double added = o.medianMs() - d.medianMs();
            result(
                    "echo %d B p50 added over direct TCP: ours %.3f ms, websockify %.3f ms; target <= 0.1 ms",
                    size, added, p.medianMs() - d.medianMs(), added <= 0.1);
            var t = samples.get(tcpRelay);
            report.line(
                    "For reference, the plain TCP relay: p99 %.3f ms (%.2fx websockify's), p50 added %.3f ms.",
                    t.percentileMs(99), t.percentileMs(99) / p.percentileMs(99), t.medianMs() - d.medianMs());
            report.line("");
        }
    }

    @Test
    @Order(3)
    void connect_to_first_rfb_byte() throws Exception {
        int perRound = 40;
        report.line(
                "### Connect (TCP, WebSocket handshake, ticket) to the first RFB byte: %d runs of %d per way",
                ROUNDS, perRound);
        report.line("");
        var samples = new LinkedHashMap<Way, Samples>();
        var opened = new LinkedHashMap<Way, Samples>();
        var cpuMillis = new LinkedHashMap<Way, Long>();
        for (int round = 0; round < ROUNDS; round++) {
            for (var way : inTurn(round)) {
                var s = samples.computeIfAbsent(way, w -> new Samples(w.name()));
                var o = opened.computeIfAbsent(way, w -> new Samples(w.name()));
                var tickets = tickets(way, perRound);
                long cpuBefore = way.cpuMillis().getAsLong();
                long[] nanos = load.samples("connect " + way.target() + " " + perRound, tickets);
                cpuMillis.merge(way, way.cpuMillis().getAsLong() - cpuBefore, Long::sum);
                for (int i = 0; i < perRound; i++) {
                    s.add(nanos[i]);
                    o.add(nanos[perRound + i]);
                }
            }
        }
        percentileTable(samples);
        report.line("Of which until the connection is open (TCP connect, or the WebSocket handshake's 101 answer):");
        report.line("");
        percentileTable(opened);
        report.line(
                "Proxy CPU per connection (from the connect to the close): %s.",
                String.join(
                        ", ",
                        ways().stream()
                                .filter(way -> way != direct)
                                .map(way -> String.format(
                                        "%s %.2f ms", way.name(), cpuMillis.get(way) / (double) (ROUNDS * perRound)))
                                .toList()));
        report.line("");
        double o = samples.get(ours).medianMs();
        double p = samples.get(peer).medianMs();
        double t = samples.get(tcpRelay).medianMs();
        report.line("For reference, the plain TCP relay: p50 %.2f ms (%.2fx websockify's).", t, t / p);
        report.line("");
        result(
                "connect to first byte p50 ours %.2f ms vs websockify %.2f ms (%.2fx); target <= 0.5x",
                o, p, o / p, o <= 0.5 * p);
    }

    @Test
    @Order(4)
    void heap_per_idle_console() throws Exception {
        report.line("### %d idle consoles beside %d active ones (4 KiB every 20 ms each)", IDLE, ACTIVE);
        report.line("");
        load.command("hold " + ours.target() + " " + ACTIVE + " A", tickets(ours, ACTIVE));
        awaitConsoles(ACTIVE);
        Thread.sleep(2_000);
        var before = LiveHeap.measure("console-idle-0", 3);
        load.command("hold " + ours.target() + " " + IDLE + " I", tickets(ours, IDLE));
        awaitConsoles(ACTIVE + IDLE);
        Thread.sleep(2_000);
        var after = LiveHeap.measure("console-idle-" + IDLE, 3);
        double perIdleKiB = (after.totalBytes() - before.totalBytes()) / 1024.0 / IDLE;
        report.line(
                "Live heap with %d active: %.2f MiB; with %d idle more: %.2f MiB",
                ACTIVE, before.totalMiB(), IDLE, after.totalMiB());
        report.line("");
        report.line("Classes that grew most:");
        report.line("");
        report.line(LiveHeap.Histogram.header(IDLE));
        after.load().topGrowth(before.load(), 15, IDLE).forEach(report::line);
        report.line("");
        load.command("release", List.of());
        awaitConsoles(0);

        long pssBefore = holdAndMeasurePss(ACTIVE, "A");
        long pssAfter = holdAndMeasurePss(IDLE, "I");
        load.command("release", List.of());
        report.line(
                "websockify, for comparison: proportional set size of its process tree %.1f MiB with %d active,"
                        + " %.1f MiB with %d idle more: %.0f KiB per idle console (a process each)",
                pssBefore / 1024.0, ACTIVE, pssAfter / 1024.0, IDLE, (pssAfter - pssBefore) / (double) IDLE);
        report.line("");
        result("live heap per idle console %.1f KiB; target <= 64 KiB", perIdleKiB, perIdleKiB <= 64);
    }

    @Test
    @Order(5)
    void a_browser_that_stops_reading() throws Exception {
        report.line("### A browser that stops reading (send timeout 15 s, the default)");
        report.line("");
        var before = LiveHeap.measure("console-stall-0", 3);
        load.command("stall " + ours.target() + " -1", tickets(ours, 1));
        Thread.sleep(3_000);
        var stalled = load.command("stalled", List.of()).stream()
                .mapToLong(Long::parseLong)
                .toArray();
        var during = LiveHeap.measure("console-stall", 3);
        long relayHeld = during.totalBytes() - before.totalBytes();
        long closedAfterMs = -1;
        for (int i = 0; i < 120 && closedAfterMs < 0; i++) {
            Thread.sleep(500);
            closedAfterMs = Long.parseLong(load.command("stalled", List.of()).get(2));
        }
        awaitConsoles(0);
        load.command("unstall", List.of());
        report.line(
                "Portal: server wrote %.2f MiB, client read %.2f MiB: %.2f MiB in flight (kernel socket buffers"
                        + " included); the portal's live heap grew by %.0f KiB; the relay closed the console %.1f s after the"
                        + " client stopped reading",
                stalled[0] / 1048576.0,
                stalled[1] / 1048576.0,
                (stalled[0] - stalled[1]) / 1048576.0,
                relayHeld / 1024.0,
                closedAfterMs / 1000.0);

        long pssBefore = ProcessCpu.treePssKiB(websockify.pid());
        long offered = 256L << 20;
        load.command("stall " + peer.target() + " " + offered, List.of());
        long written = 0;
        for (int i = 0; i < 40 && written < offered; i++) {
            Thread.sleep(250);
            written = Long.parseLong(load.command("stalled", List.of()).getFirst());
        }
        long pssGrowth = ProcessCpu.treePssKiB(websockify.pid()) - pssBefore;
        load.command("unstall", List.of());
        report.line(
                "websockify, for comparison: of %d MiB offered the server got rid of %.0f MiB within 10 s; its"
                        + " process tree grew by %.0f MiB (it queues whatever the VNC side sends)",
                offered >> 20, written / 1048576.0, pssGrowth / 1024.0);
        report.line("");
        result(
                "stalled browser: relay heap growth %.0f KiB (target <= 1 MiB), closed after %.1f s (send timeout 15 s)",
                relayHeld / 1024.0,
                closedAfterMs / 1000.0,
                relayHeld <= 1 << 20 && closedAfterMs > 0 && closedAfterMs < 20_000);
    }

    private long holdAndMeasurePss(int count, String mode) throws Exception {
        load.command("hold " + peer.target() + " " + count + " " + mode, List.of());
        Thread.sleep(2_000);
        return ProcessCpu.treePssKiB(websockify.pid());
    }

    private List<Way> ways() {
        return List.of(direct, tcpRelay, peer, ours);
    }

    /** The ways in a different order each round, so no way always runs right after another. */
    private List<Way> inTurn(int round) {
        var ways = new ArrayList<>(ways());
        java.util.Collections.rotate(ways, round);
        return ways;
    }

    private List<String> tickets(Way way, int count) {
        if (!way.ticketed()) {
            return List.of();
        }
        SecurityContextHolder.getContext()
                .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "admin", null, AuthorityUtils.createAuthorityList("ROLE_ADMIN")));
        try {
            return IntStream.range(0, count)
                    .mapToObj(i -> consoles.openTicket(vm, ConsoleKind.SCREEN, true, httpSession))
                    .toList();
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private void percentileTable(Map<Way, Samples> samples) {
        report.line("| way (ms) | p50 | p90 | p99 | p99.9 | max | n |");
        report.line("|---|---|---|---|---|---|---|");
        samples.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(w -> ways().indexOf(w))))
                .forEach(e -> {
                    var s = e.getValue();
                    report.line(
                            "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %d |",
                            e.getKey().name(),
                            s.medianMs(),
                            s.percentileMs(90),
                            s.percentileMs(99),
                            s.percentileMs(99.9),
                            s.maxMs(),
                            s.count());
                });
        report.line("");
    }

    private void result(String format, Object... argsAndMet) {
        var args = java.util.Arrays.copyOf(argsAndMet, argsAndMet.length - 1);
        boolean met = (Boolean) argsAndMet[argsAndMet.length - 1];
        report.line("RESULT " + String.format(java.util.Locale.ROOT, format, args) + ": " + (met ? "MET" : "MISSED"));
        report.line("");
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String medianAndRange(List<Double> values, String format) {
        return String.format(
                java.util.Locale.ROOT,
                format + " (" + format + "-" + format + ")",
                median(values),
                values.stream().min(Double::compare).orElseThrow(),
                values.stream().max(Double::compare).orElseThrow());
    }

    private void awaitConsoles(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sessions.viewers(vm).size() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "Benchmark broken: " + sessions.viewers(vm).size() + " consoles open, expected " + count);
            }
            Thread.sleep(50);
        }
    }

    private DomainRef awaitVm() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (hypervisor.hosts().stream().allMatch(host -> host.state() == HostState.CONNECTED)) {
                var found = hypervisor.domains().stream()
                        .filter(d -> d.name().equals(VM))
                        .map(DomainSummary::ref)
                        .findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Benchmark broken: the bench host did not list " + VM);
    }

    /** Signs in through the login form as a browser does, CSRF token included; returns the session id. */
    private String signIn(String username, String password) throws Exception {
        var cookies = new CookieManager();
        var http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        var login = http.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString());
        var csrf = CSRF.matcher(login.body());
        if (!csrf.find()) {
            throw new AssertionError("Benchmark broken: no CSRF token on /login");
        }
        String form =
                "username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + encode(csrf.group(1));
        var response = http.send(
                HttpRequest.newBuilder(uri("/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.headers().firstValue("Location").orElse("error").contains("error")) {
            throw new AssertionError("Benchmark broken: sign-in failed");
        }
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElseThrow();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
