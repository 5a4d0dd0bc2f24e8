package org.kvmportal.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.kvmportal.benchmark.ListeningProcess;

/**
 * Debian's Cockpit web server with a local session (no login, runs as this user), the peer of the console
 * benchmark. It needs a system D-Bus with libvirt-dbus on it, which scripts/benchmark-console.sh starts (the
 * recipe is in ../shared/FACTS.md). One local session serves one browser session, so start one per context.
 */
final class CockpitWs implements AutoCloseable {

    static final Path COCKPIT_WS = Path.of("/usr/lib/cockpit/cockpit-ws");

    private final Process process;
    private final int port;

    private CockpitWs(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Why Cockpit cannot run here, if it cannot. */
    static Optional<String> unavailable() {
        if (!Files.isExecutable(COCKPIT_WS) || !Files.isDirectory(Path.of("/usr/share/cockpit/machines"))) {
            return Optional.of("cockpit-ws or cockpit-machines is not installed");
        }
        if (!Files.exists(Path.of("/run/dbus/system_bus_socket"))) {
            return Optional.of("no system D-Bus (/run/dbus/system_bus_socket)");
        }
        boolean libvirtDbus = ProcessHandle.allProcesses()
                .anyMatch(p -> p.info().command().orElse("").endsWith("/libvirt-dbus"));
        return libvirtDbus ? Optional.empty() : Optional.of("libvirt-dbus is not running");
    }

    static CockpitWs start(Path log) throws IOException, InterruptedException {
        int port = ListeningProcess.freePort();
        var process = ListeningProcess.start(
                List.of(
                        COCKPIT_WS.toString(),
                        "--port",
                        Integer.toString(port),
                        "--address",
                        "127.0.0.1",
                        "--local-session=/usr/bin/cockpit-bridge"),
                port,
                log);
        return new CockpitWs(process, port);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    static String version() {
        try {
            var process = new ProcessBuilder(
                            "dpkg-query", "-W", "-f", "${Package} ${Version}\n", "cockpit-ws", "cockpit-machines")
                    .redirectErrorStream(true)
                    .start();
            return String.join(
                    ", ",
                    new String(process.getInputStream().readAllBytes())
                            .strip()
                            .lines()
                            .toList());
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy); // its cockpit-bridge
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
