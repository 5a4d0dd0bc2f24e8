package org.kvmportal.benchmark.console;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kvmportal.benchmark.ListeningProcess;

/**
 * Debian's websockify, the peer: {@code websockify 127.0.0.1:<port> 127.0.0.1:<target>}, its defaults
 * otherwise (a process forked per connection, as nova-novncproxy runs it). Its output goes to a log file.
 */
public final class Websockify implements AutoCloseable {

    public static final String COMMAND = "/usr/bin/websockify";

    private final Process process;
    private final int port;

    private Websockify(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Websockify start(int targetPort, Path log) throws IOException, InterruptedException {
        int port = ListeningProcess.freePort();
        var process =
                ListeningProcess.start(List.of(COMMAND, "127.0.0.1:" + port, "127.0.0.1:" + targetPort), port, log);
        return new Websockify(process, port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public static String version() {
        try {
            var process = new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}", "websockify")
                    .redirectErrorStream(true)
                    .start();
            return new String(process.getInputStream().readAllBytes()).strip();
        } catch (IOException e) {
            return "unknown";
        }
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
