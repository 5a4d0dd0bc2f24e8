package org.kvmportal.benchmark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A peer server a benchmark starts (websockify, cockpit-ws): running, and listening on loopback, or failed. */
public final class ListeningProcess {

    private ListeningProcess() {}

    /** A loopback port free right now, for a process to listen on. */
    public static int freePort() throws IOException {
        try (var probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /**
     * Starts {@code command} with its output in {@code log} and waits (at most 20 s) until it accepts
     * connections on {@code port}; it is stopped with the JVM even if the benchmark's clean-up never runs.
     */
    public static Process start(List<String> command, int port, Path log) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return process;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroy();
                    throw new IOException(command.getFirst() + " did not start; see " + log);
                }
                Thread.sleep(50);
            }
        }
    }
}
