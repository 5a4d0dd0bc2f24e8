package org.kvmportal.hypervisor.internal;

import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.kvmportal.benchmark.BenchmarkReport;
import org.kvmportal.benchmark.Samples;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.testing.TestHostXml;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * "List + bulk stats of 1,000 domains per host poll" with three libvirt test-driver hosts of 1,000 domains
 * each, and the bulk call against a per-domain loop on the same connection. Run by the {@code benchmark}
 * Maven profile ({@code scripts/benchmark.sh}); it prints its figures and fails only when something is
 * broken (a host not connecting, domains missing), never on a slow figure.
 *
 * <p>One poll of a host is what keeps its list and its statistics current: the inventory reload
 * ({@link DomainInventory#reload}, the path of the 30-second resync and of every reconnect) plus
 * {@link LibvirtHypervisor#domains()} (what every grid fetch reads), plus {@link LibvirtHypervisor#bulkStats}
 * (one {@code virConnectGetAllDomainStats} per host, what the metrics poller calls every 2.5 s).
 */
class InventoryScaleBenchmark {

    private static final int HOSTS = 3;
    private static final int DOMAINS_PER_HOST = 1000;
    private static final int WARMUP_ROUNDS = 5;
    private static final int ROUNDS = 40;
    /** Over RPC the per-domain loops take seconds: fewer rounds. */
    private static final int RPC_ROUNDS = 12;

    private static final Path DAEMON_SOCKET = Path.of("/run/libvirt/libvirt-sock");
    private static final double TARGET_POLL_MEDIAN_MS = 50;
    private static final Consumer<Object> NO_EVENTS = event -> {};

    private final BenchmarkReport report = new BenchmarkReport("inventory-scale");

    @Test
    void list_and_bulk_stats_of_1000_domains_per_host() throws Exception {
        var files = writeHosts();
        var inProcess = new LinkedHashMap<String, String>();
        files.forEach((host, file) -> inProcess.put(host, "test://" + file));
        measure("in-process test driver", "", inProcess, ROUNDS);

        // The same hosts served by a libvirt daemon, when this machine runs one: every call is then an RPC
        // round trip over a Unix socket, as with a real host (a remote one adds the network's latency).
        if (Files.exists(DAEMON_SOCKET)) {
            var overRpc = new LinkedHashMap<String, String>();
            files.forEach((host, file) -> overRpc.put(host, "test+unix://" + file + "?socket=" + DAEMON_SOCKET));
            try {
                measure("test driver through libvirtd (RPC over a Unix socket)", " (RPC)", overRpc, RPC_ROUNDS);
            } catch (Exception | AssertionError e) {
                // The daemon is this machine's, not the benchmark's: it may be stopped, or refuse this user.
                report.line("RPC figures not measured: the libvirt daemon at " + DAEMON_SOCKET + " failed: " + e);
                report.line("");
            }
        } else {
            report.line("RPC figures not measured: no libvirt daemon socket at " + DAEMON_SOCKET);
        }
        report.loadAverage("at end");
    }

    private void measure(String title, String tag, Map<String, String> uris, int rounds) throws Exception {
        report.line("## " + title);
        report.line("");
        report.line("Hosts: " + uris.values());
        report.line("");
        long connecting = System.nanoTime();
        try (var hypervisor = new LibvirtHypervisor(uris, NO_EVENTS, Clock.systemUTC())) {
            awaitConnected(hypervisor, Duration.ofSeconds(120));
            report.line(
                    "Connect and first inventory load of %d hosts x %d domains (in parallel): %.0f ms",
                    HOSTS, DOMAINS_PER_HOST, (System.nanoTime() - connecting) / 1e6);
            report.line("");
            require(
                    hypervisor.domains().size() == HOSTS * DOMAINS_PER_HOST,
                    "expected " + HOSTS * DOMAINS_PER_HOST + " domains, the hypervisor lists "
                            + hypervisor.domains().size());

            var connects = new LinkedHashMap<String, PortalConnect>();
            try {
                for (var host : uris.entrySet()) {
                    connects.put(host.getKey(), new PortalConnect(host.getValue()));
                }
                measurePolls(hypervisor, connects, tag, rounds);
                measurePollsOfAllHostsAtOnce(hypervisor, connects, rounds);
                compareBulkWithPerDomainCalls(connects, tag, rounds);
            } finally {
                for (var connect : connects.values()) {
                    connect.close();
                }
            }
        }
    }

    /**
     * The generator step: three test-driver host files under target/benchmark/hosts, kept for inspection.
     *
     * @return host name to the file's absolute path
     */
    private static Map<String, Path> writeHosts() {
        var files = new LinkedHashMap<String, Path>();
        for (int i = 1; i <= HOSTS; i++) {
            String name = "h" + i;
            var file = BenchmarkReport.directory().resolve("hosts").resolve(name + ".xml");
            TestHostXml.write(file, TestHostXml.many(name, DOMAINS_PER_HOST));
            files.put(name, file.toAbsolutePath());
        }
        return files;
    }

    private void measurePolls(LibvirtHypervisor hypervisor, Map<String, PortalConnect> connects, String tag, int rounds)
            throws LibvirtException {
        var reload = new Samples("inventory reload (DomainInventory.reload), 1 host");
        var domains = new Samples("hypervisor.domains() (3,000, in memory)");
        var listing = new Samples("listing = reload + domains()");
        var bulk = new Samples("bulkStats(host) via the host's pool");
        var poll = new Samples("POLL = listing + bulkStats, 1 host");
        var inventories = new LinkedHashMap<String, DomainInventory>();
        connects.keySet().forEach(host -> inventories.put(host, new DomainInventory(host, NO_EVENTS)));

        for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
            for (var host : connects.keySet()) {
                long start = System.nanoTime();
                inventories.get(host).reload(connects.get(host));
                long reloaded = System.nanoTime();
                var listed = hypervisor.domains();
                long listedAt = System.nanoTime();
                var stats = hypervisor.bulkStats(host).join();
                long end = System.nanoTime();

                require(
                        inventories.get(host).all(true).size() == DOMAINS_PER_HOST,
                        "the reload of " + host + " found "
                                + inventories.get(host).all(true).size() + " domains");
                require(listed.size() == HOSTS * DOMAINS_PER_HOST, "domains() listed " + listed.size());
                require(stats.size() == DOMAINS_PER_HOST, "bulk stats of " + host + " had " + stats.size());
                if (round >= 0) {
                    reload.add(reloaded - start);
                    domains.add(listedAt - reloaded);
                    listing.add(listedAt - start);
                    bulk.add(end - listedAt);
                    poll.add(end - start);
                }
            }
        }
        report.line(
                "### One poll of one host (%d rounds x %d hosts, after %d warm-up rounds)",
                rounds, HOSTS, WARMUP_ROUNDS);
        report.line("");
        report.line(Samples.header());
        for (var samples : List.of(reload, domains, listing, bulk, poll)) {
            report.line(samples.row());
        }
        report.line("");
        report.line(
                "RESULT%s poll median %.1f ms, p95 %.1f ms; target <= %.0f ms median: %s",
                tag,
                poll.medianMs(),
                poll.p95Ms(),
                TARGET_POLL_MEDIAN_MS,
                poll.medianMs() <= TARGET_POLL_MEDIAN_MS ? "MET" : "MISSED");
        report.line(
                "Share of the poll: reload %.0f %%, domains() %.0f %%, bulkStats %.0f %% (of medians)",
                100 * reload.medianMs() / poll.medianMs(),
                100 * domains.medianMs() / poll.medianMs(),
                100 * bulk.medianMs() / poll.medianMs());
        report.line("");
    }

    /** The three hosts polled together, one thread each, as the resync and the metrics poller do. */
    private void measurePollsOfAllHostsAtOnce(
            LibvirtHypervisor hypervisor, Map<String, PortalConnect> connects, int rounds) throws Exception {
        var all = new Samples("POLL of all 3 hosts at once (wall time)");
        var inventories = new LinkedHashMap<String, DomainInventory>();
        connects.keySet().forEach(host -> inventories.put(host, new DomainInventory(host, NO_EVENTS)));
        ExecutorService threads = Executors.newFixedThreadPool(HOSTS);
        try {
            for (int round = -WARMUP_ROUNDS; round < rounds / 2; round++) {
                long start = System.nanoTime();
                var polls = new ArrayList<CompletableFuture<Integer>>();
                for (var host : connects.keySet()) {
                    polls.add(CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    inventories.get(host).reload(connects.get(host));
                                } catch (LibvirtException e) {
                                    throw new IllegalStateException(e);
                                }
                                hypervisor.domains();
                                return hypervisor.bulkStats(host).join().size();
                            },
                            threads));
                }
                int records = polls.stream().mapToInt(CompletableFuture::join).sum();
                long end = System.nanoTime();
                require(records == HOSTS * DOMAINS_PER_HOST, "bulk stats of all hosts had " + records + " records");
                if (round >= 0) {
                    all.add(end - start);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        report.line(Samples.header());
        report.line(all.row());
        report.line("");
    }

    /**
     * On the same connection, alternating the order each round: the one bulk call against listing the
     * domains and calling libvirt-java's {@code getInfo} on each, and each per-domain call that the inventory
     * reload made before it was built from bulk calls ({@link InventoryReader#readDomain} still makes them
     * for one domain after an event), to show what the bulk calls save.
     */
    private void compareBulkWithPerDomainCalls(Map<String, PortalConnect> connects, String tag, int rounds)
            throws LibvirtException {
        String host = connects.keySet().iterator().next();
        var connect = connects.get(host);
        var bulk = new Samples("bulk: BulkStatsReader.read (1 call, 1,000 records)");
        var nativeBulk = new Samples("  the C call + free alone, records not read");
        var getInfo = new Samples("per-domain: listAllDomains + 1,000 x getInfo");
        var listOnly = new Samples("  listAllDomains + free only");
        Map<String, DomainCall> calls = new LinkedHashMap<>();
        calls.put("getInfo", Domain::getInfo);
        calls.put("isPersistent", Domain::isPersistent);
        calls.put("getAutostart", Domain::getAutostart);
        calls.put("hasManagedSaveImage", Domain::hasManagedSaveImage);
        calls.put("getUUIDString", Domain::getUUIDString);
        calls.put("getName", Domain::getName);
        var perCall = new LinkedHashMap<String, Samples>();
        calls.keySet().forEach(name -> perCall.put(name, new Samples("  1,000 x " + name + " (listing excluded)")));

        for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
            boolean measured = round >= 0;
            Runnable bulkRun = () -> {
                long start = System.nanoTime();
                int records = BulkStatsReader.read(host, connect).size();
                long end = System.nanoTime();
                require(records == DOMAINS_PER_HOST, "bulk read " + records + " records");
                if (measured) {
                    bulk.add(end - start);
                }
            };
            if (round % 2 == 0) {
                bulkRun.run();
            }
            long start = System.nanoTime();
            var listed = connect.listAllDomains(0);
            int count = 0;
            for (Domain domain : listed) {
                domain.getInfo();
                domain.free();
                count++;
            }
            long end = System.nanoTime();
            require(count == DOMAINS_PER_HOST, "the per-domain loop saw " + count + " domains");
            if (measured) {
                getInfo.add(end - start);
            }
            if (round % 2 != 0) {
                bulkRun.run();
            }

            start = System.nanoTime();
            int records = nativeBulkStats(connect);
            end = System.nanoTime();
            require(records == DOMAINS_PER_HOST, "the C bulk call returned " + records + " records");
            if (measured) {
                nativeBulk.add(end - start);
            }

            start = System.nanoTime();
            for (Domain domain : connect.listAllDomains(0)) {
                domain.free();
            }
            end = System.nanoTime();
            if (measured) {
                listOnly.add(end - start);
            }

            var domains = connect.listAllDomains(0);
            try {
                for (var call : calls.entrySet()) {
                    start = System.nanoTime();
                    for (Domain domain : domains) {
                        call.getValue().apply(domain);
                    }
                    end = System.nanoTime();
                    if (measured) {
                        perCall.get(call.getKey()).add(end - start);
                    }
                }
            } finally {
                for (Domain domain : domains) {
                    domain.free();
                }
            }
        }
        report.line("### Bulk call vs per-domain calls, host %s, same connection (%d rounds)", host, rounds);
        report.line("");
        report.line(Samples.header());
        report.line(bulk.row());
        report.line(nativeBulk.row());
        report.line(getInfo.row());
        report.line(listOnly.row());
        perCall.values().forEach(samples -> report.line(samples.row()));
        report.line("");
        report.line(
                "RESULT%s per-domain getInfo loop / bulk call = %.1f x (medians %.2f ms / %.2f ms)",
                tag, getInfo.medianMs() / bulk.medianMs(), getInfo.medianMs(), bulk.medianMs());
        double reloadCalls =
                perCall.values().stream().mapToDouble(Samples::medianMs).sum() + listOnly.medianMs();
        report.line(
                "Reading the inventory domain by domain (the reload before it used bulk calls: these 6 calls per"
                        + " domain plus the listing) adds up to %.1f ms (sum of medians)",
                reloadCalls);
        report.line("");
    }

    /** {@code virConnectGetAllDomainStats} and the free of its result, without reading the records. */
    private static int nativeBulkStats(PortalConnect connect) {
        var lib = LibvirtNative.INSTANCE;
        var records = new PointerByReference();
        int count = lib.virConnectGetAllDomainStats(connect.nativePointer(), 0, records, 0);
        require(count >= 0, "virConnectGetAllDomainStats failed: " + lib.virGetLastErrorMessage());
        lib.virDomainStatsRecordListFree(records.getValue());
        return count;
    }

    private static void awaitConnected(LibvirtHypervisor hypervisor, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hypervisor.hosts().stream().allMatch(host -> host.state() == HostState.CONNECTED)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Hosts not connected within " + timeout + ": " + hypervisor.hosts());
            }
            Thread.sleep(5);
        }
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new AssertionError("Benchmark broken: " + problem);
        }
    }

    @FunctionalInterface
    private interface DomainCall {
        Object apply(Domain domain) throws LibvirtException;
    }
}
