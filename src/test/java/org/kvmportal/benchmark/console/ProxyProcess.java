package org.kvmportal.benchmark.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kvmportal.benchmark.ListeningProcess;

/**
 * A proxy the relay is measured beside, in front of the same target, with Debian's defaults otherwise (a
 * process forked per connection): websockify, the peer, and socat, a plain TCP relay that shows what any
 * relay costs on the machine before WebSocket, HTTP and tickets. Its output goes to a log file.
 */
public final class ProxyProcess implements AutoCloseable {

    private final String packageName;
    private final Process process;
    private final int port;

    private ProxyProcess(String packageName, Process process, int port) {
        this.packageName = packageName;
        this.process = process;
        this.port = port;
    }

    /** {@code websockify 127.0.0.1:<port> 127.0.0.1:<target>}, as nova-novncproxy runs it. */
    public static ProxyProcess websockify(int targetPort, Path log) throws IOException, InterruptedException {
        int port = ListeningProcess.freePort();
        return start(
                "websockify",
                List.of("/usr/bin/websockify", "127.0.0.1:" + port, "127.0.0.1:" + targetPort),
                port,
                log);
    }

    /** socat with a 256 KiB buffer, the relay's largest chunk, so that the two read and write alike. */
    public static ProxyProcess socat(int targetPort, Path log) throws IOException, InterruptedException {
        int port = ListeningProcess.freePort();
        return start(
                "socat",
                List.of(
                        "/usr/bin/socat",
                        "-b262144",
                        "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork,nodelay",
                        "TCP:127.0.0.1:" + targetPort + ",nodelay"),
                port,
                log);
    }

    private static ProxyProcess start(String packageName, List<String> command, int port, Path log)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(command.getFirst()))) {
            throw new IOException(command.getFirst() + " is not installed (scripts/benchmark-console.sh installs it)");
        }
        return new ProxyProcess(packageName, ListeningProcess.start(command, port, log), port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The Debian package's version and the command line. */
    public String describe() {
        String version;
        try {
            var query = new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}", packageName)
                    .redirectErrorStream(true)
                    .start();
            version = new String(query.getInputStream().readAllBytes()).strip();
        } catch (IOException e) {
            version = "unknown";
        }
        return packageName + " " + version + " ("
                + String.join(" ", process.info().arguments().map(List::of).orElse(List.of())) + ")";
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
