package org.kvmportal.benchmark.console;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var process = new ProcessBuilder(COMMAND, "127.0.0.1:" + port, "127.0.0.1:" + targetPort)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // Also when the test JVM is stopped before its clean-up runs (Maven interrupted, say).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return new Websockify(process, port);
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroy();
                    throw new IOException("websockify did not start; see " + log);
                }
                Thread.sleep(50);
            }
        }
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
