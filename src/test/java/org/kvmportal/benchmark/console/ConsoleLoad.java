package org.kvmportal.benchmark.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The benchmark's load: the fake VNC server and every client, in a JVM of their own, so that the CPU time
 * and heap measured in the portal's JVM are the relay's alone (and websockify's process is measured alike).
 * The parent sends one command per line and gets {@code ok ...} or {@code error ...} back.
 *
 * <p>A target is {@code direct}, {@code tcp:<port>} (a plain TCP relay), {@code websockify:<port>} or {@code portal:<port>:<JSESSIONID>}; portal
 * commands end with one ticket per connection they open ({@code t=TICKET}).
 */
public final class ConsoleLoad implements AutoCloseable {

    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader answers;
    private final int serverPort;

    private ConsoleLoad(Process process) throws IOException {
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.serverPort = Integer.parseInt(answer().getFirst());
    }

    /** Starts the child JVM (this JVM's classpath) with its fake server listening. */
    public static ConsoleLoad start() throws IOException {
        var java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(
                        java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), ConsoleLoad.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new ConsoleLoad(process);
    }

    public int serverPort() {
        return serverPort;
    }

    public long pid() {
        return process.pid();
    }

    /** Sends one command; returns the words after {@code ok}. */
    public List<String> command(String command, List<String> tickets) throws IOException {
        var line = new StringBuilder(command);
        tickets.forEach(ticket -> line.append(" t=").append(ticket));
        commands.println(line);
        return answer();
    }

    /** Sends one command whose answer is a list of nanosecond samples. */
    public long[] samples(String command, List<String> tickets) throws IOException {
        return command(command, tickets).stream().mapToLong(Long::parseLong).toArray();
    }

    private List<String> answer() throws IOException {
        String answer;
        do {
            answer = answers.readLine(); // anything else a library prints to standard output is skipped
        } while (answer != null && !answer.startsWith("ok") && !answer.startsWith("error"));
        if (answer == null || !answer.startsWith("ok")) {
            throw new IllegalStateException("Console load failed: " + answer);
        }
        var words = answer.substring(2).strip();
        return words.isEmpty() ? List.of() : List.of(words.split(" "));
    }

    @Override
    public void close() throws InterruptedException {
        commands.println("quit");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
        }
    }

    // ---- the child -------------------------------------------------------------------------------------

    public static void main(String[] args) throws IOException {
        var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (var server = new FakeRfbServer()) {
            var load = new Child(server);
            out.println("ok " + server.port());
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                try {
                    out.println("ok " + load.run(line.split(" ")));
                } catch (Exception e) {
                    out.println("error " + line.split(" ")[0] + ": " + e);
                }
            }
            load.closeHeld();
        }
    }

    /** The child's state: the fake server and the consoles it holds open between commands. */
    private static final class Child {

        private final FakeRfbServer server;
        private final List<Pipe> held = new ArrayList<>();
        private Pipe prepared;
        private Pipe stalled;
        private long stalledAt;
        private long stalledRead;

        Child(FakeRfbServer server) {
            this.server = server;
        }

        private String run(String[] words) throws Exception {
            // Tickets ride at the end of a command, each as t=TICKET, one per connection it opens.
            Iterator<String> tickets = Arrays.stream(words)
                    .filter(word -> word.startsWith("t="))
                    .map(word -> word.substring(2))
                    .iterator();
            return switch (words[0]) {
                // connect TARGET COUNT [tickets]: time from opening the connection to the server's first byte
                // Answers COUNT times to first byte, then COUNT times to the open connection (the 101 answer).
                case "connect" -> {
                    int count = Integer.parseInt(words[2]);
                    var nanos = new long[2 * count];
                    for (int i = 0; i < count; i++) {
                        long start = System.nanoTime();
                        try (var pipe = open(words[1], tickets)) {
                            nanos[count + i] = System.nanoTime() - start;
                            pipe.readFully(1);
                            nanos[i] = System.nanoTime() - start;
                            pipe.readFully(FakeRfbServer.GREETING.length - 1);
                        }
                    }
                    yield join(nanos);
                }
                // echo TARGET SIZE:COUNT [ticket]: round trips of SIZE bytes, after a tenth as many for warming up
                case "echo" -> {
                    var sizeAndCount = words[2].split(":");
                    int size = Integer.parseInt(sizeAndCount[0]);
                    int count = Integer.parseInt(sizeAndCount[1]);
                    try (var pipe = open(words[1], tickets)) {
                        handshake(pipe, FakeRfbServer.ECHO);
                        var message = new byte[size];
                        var reply = new byte[size];
                        var nanos = new long[count];
                        for (int i = -count / 10; i < count; i++) {
                            message[0] = (byte) i;
                            long start = System.nanoTime();
                            pipe.write(message);
                            pipe.readFully(reply, 0, size);
                            long elapsed = System.nanoTime() - start;
                            if (reply[0] != message[0]) {
                                throw new IllegalStateException("echo out of step");
                            }
                            if (i >= 0) {
                                nanos[i] = elapsed;
                            }
                        }
                        yield join(nanos);
                    }
                }
                // prepare TARGET [ticket], bulk BYTES (one timed server-to-client transfer), then done
                case "prepare" -> {
                    prepared = open(words[1], tickets);
                    handshake(prepared, null);
                    yield prepared instanceof WsPipe ws && ws.compressing() ? "permessage-deflate" : "uncompressed";
                }
                case "bulk" -> {
                    // The connection stays open until "done", so that websockify's child process is still there
                    // when the parent reads its CPU time.
                    long bytes = Long.parseLong(words[1]);
                    var sink = new byte[256 * 1024];
                    long start = System.nanoTime();
                    prepared.write(ByteBuffer.allocate(9)
                            .put(FakeRfbServer.BULK)
                            .putLong(bytes)
                            .array());
                    for (long got = 0; got < bytes; ) {
                        int n = prepared.read(sink, 0, sink.length);
                        if (n < 0) {
                            throw new IllegalStateException("stream ended after " + got + " bytes");
                        }
                        got += n;
                    }
                    yield Long.toString(System.nanoTime() - start);
                }
                // hold TARGET COUNT MODE [tickets]: opens COUNT consoles and keeps them (I idle, A active)
                case "hold" -> {
                    byte mode = (byte) words[3].charAt(0);
                    for (int i = Integer.parseInt(words[2]); i > 0; i--) {
                        var pipe = open(words[1], tickets);
                        handshake(pipe, mode);
                        held.add(pipe);
                        if (mode == FakeRfbServer.ACTIVE) {
                            Thread.ofPlatform().daemon().start(() -> drain(pipe));
                        }
                    }
                    yield Integer.toString(held.size());
                }
                case "done" -> {
                    prepared.close();
                    yield "";
                }
                case "release" -> {
                    closeHeld();
                    yield "";
                }
                // stall TARGET BYTES [ticket]: asks for BYTES (-1: endless), reads 1 MiB, then stops reading
                case "stall" -> {
                    stalled = open(words[1], tickets);
                    handshake(stalled, null);
                    stalled.write(ByteBuffer.allocate(9)
                            .put(FakeRfbServer.BULK)
                            .putLong(Long.parseLong(words[2]))
                            .array());
                    stalled.readFully(1 << 20);
                    stalledRead = 1 << 20;
                    stalledAt = System.nanoTime();
                    yield "";
                }
                // stalled: bytes the server wrote, bytes the client read, ms from the stall to the server's end (-1)
                case "stalled" -> {
                    var stream = server.lastBulk();
                    long ended = stream.endedNanos;
                    yield stream.written.get() + " " + stalledRead + " "
                            + (ended == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(ended - stalledAt));
                }
                case "unstall" -> {
                    stalled.close();
                    yield "";
                }
                default -> throw new IllegalArgumentException("unknown command");
            };
        }

        private Pipe open(String target, Iterator<String> tickets) throws IOException {
            var parts = target.split(":");
            return switch (parts[0]) {
                case "direct" -> new TcpPipe(server.port());
                case "tcp" -> new TcpPipe(Integer.parseInt(parts[1]));
                case "websockify" -> new WsPipe(Integer.parseInt(parts[1]), "/", "");
                case "portal" -> {
                    int port = Integer.parseInt(parts[1]);
                    yield new WsPipe(
                            port,
                            "/console/ws/screen",
                            "Origin: http://127.0.0.1:" + port + "\r\n"
                                    + "Cookie: JSESSIONID=" + parts[2] + "\r\n"
                                    + "Sec-WebSocket-Protocol: kvmportal.console, kvmportal.ticket." + tickets.next()
                                    + "\r\n");
                }
                default -> throw new IllegalArgumentException("unknown target " + target);
            };
        }

        /** The client's half of the RFB 3.8 handshake, as noVNC does it, then the mode byte if given. */
        private static void handshake(Pipe pipe, Byte mode) throws IOException {
            pipe.readFully(FakeRfbServer.GREETING.length);
            pipe.write(FakeRfbServer.GREETING);
            pipe.readFully(2); // one security type
            pipe.write(new byte[] {1}); // None
            pipe.readFully(4); // SecurityResult
            pipe.write(new byte[] {1}); // ClientInit, shared
            var init = pipe.readFully(24);
            pipe.readFully(ByteBuffer.wrap(init, 20, 4).getInt()); // the desktop name
            if (mode != null) {
                pipe.write(new byte[] {mode});
            }
        }

        private static void drain(Pipe pipe) {
            var sink = new byte[16 * 1024];
            try {
                while (pipe.read(sink, 0, sink.length) >= 0) {
                    // an active console's screen updates, read and dropped
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void closeHeld() {
            for (var pipe : held) {
                try {
                    pipe.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            held.clear();
        }

        private static String join(long[] nanos) {
            return Arrays.stream(nanos).mapToObj(Long::toString).collect(Collectors.joining(" "));
        }
    }
}
