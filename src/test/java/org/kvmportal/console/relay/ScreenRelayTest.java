package org.kvmportal.console.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmportal.console.CloseReason;
import org.kvmportal.console.ConsoleGrant;
import org.kvmportal.console.ConsoleKind;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.VncEndpoint;

/** The server-to-browser half of the relay against a plain TCP server standing in for QEMU's VNC server. */
class ScreenRelayTest {

    private static final byte[] GREETING = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);
    /** The browser's version, security type None and a ClientInit asking for a shared session. */
    private static final byte[] BROWSER_HANDSHAKE = "RFB 003.008\n\u0001\u0001".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket vnc = newServer();
    private final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private final AtomicReference<CloseReason> closedWith = new AtomicReference<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final DisplayLoops loops = new DisplayLoops(1);
    private ScreenRelay relay;
    private VncEndpoint display = new VncEndpoint.Tcp("127.0.0.1", vnc.getLocalPort());

    @AfterEach
    void closeServer() throws IOException {
        vnc.close();
        loops.close();
    }

    @Test
    void a_large_stream_arrives_byte_for_byte_in_bounded_chunks() throws Exception {
        var payload = new byte[8 << 20];
        new Random(7).nextBytes(payload);
        start();
        try (var server = vnc.accept()) {
            // Writes of every size, now and then a pause: the relay switches between its buffers many times.
            var random = new Random(11);
            for (int at = 0; at < payload.length; ) {
                int n = Math.min(payload.length - at, 1 + random.nextInt(random.nextBoolean() ? 900 : 300_000));
                server.getOutputStream().write(payload, at, n);
                at += n;
                if (random.nextInt(20) == 0) {
                    Thread.sleep(2);
                }
            }
        }
        awaitClosed(Duration.ofSeconds(30));

        assertThat(received()).isEqualTo(payload);
        assertThat(sent).allSatisfy(chunk -> assertThat(chunk.length).isBetween(1, ScreenRelay.LARGE_BUFFER));
        assertThat(closedWith.get()).isEqualTo(CloseReason.VM_STOPPED);
    }

    @Test
    void small_updates_go_out_as_they_come_and_a_burst_in_large_chunks() throws Exception {
        start();
        try (var server = vnc.accept()) {
            server.getOutputStream().write(new byte[10]);
            await(1);
            server.getOutputStream().write(new byte[200_000]); // more than the small buffer, all at once
            await(2);
        }
        awaitClosed(Duration.ofSeconds(10));

        assertThat(sent.getFirst()).hasSize(10);
        // The burst: a small buffer's worth, then the rest in as few chunks as the arrival allows.
        assertThat(sent.stream().skip(1).mapToInt(chunk -> chunk.length).sum()).isEqualTo(200_000);
        assertThat(sent.size()).isLessThan(12);
    }

    @Test
    void a_display_on_a_unix_socket_is_relayed_alike(@TempDir Path dir) throws Exception {
        var payload = new byte[3 << 20];
        new Random(5).nextBytes(payload);
        var path = dir.resolve("vnc.sock");
        try (var unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            unix.bind(UnixDomainSocketAddress.of(path));
            display = new VncEndpoint.UnixSocket(path);
            start();
            try (var server = unix.accept()) {
                server.write(ByteBuffer.wrap(payload));
            }
            awaitClosed(Duration.ofSeconds(30));
        }

        assertThat(received()).isEqualTo(payload);
        assertThat(sent.size()).as("large chunks, not small ones").isLessThan(200);
    }

    @Test
    void nothing_reaches_the_browser_before_the_console_is_admitted() throws Exception {
        start(false);
        try (var server = vnc.accept()) {
            server.getOutputStream().write(GREETING);
            Thread.sleep(300);
            assertThat(sent).isEmpty();

            relay.admit(true);
            await(1);
            assertThat(received()).asString().isEqualTo("RFB 003.008\n");
        }
        awaitClosed(Duration.ofSeconds(10));
    }

    @Test
    void a_console_not_admitted_closes_without_relaying() throws Exception {
        start(false);
        try (var server = vnc.accept()) {
            relay.admit(false);
            relay.close(CloseReason.TOO_MANY);
            assertThat(server.getInputStream().read())
                    .as("the display connection is closed")
                    .isEqualTo(-1);
        }
        awaitClosed(Duration.ofSeconds(10));
        assertThat(sent).isEmpty();
        assertThat(closedWith.get()).isEqualTo(CloseReason.TOO_MANY);
    }

    @Test
    void a_server_that_stops_reading_holds_the_browser_back_and_then_gets_every_byte() throws Exception {
        var payload = new byte[32 << 20]; // far more than the socket buffers on the way hold
        new Random(3).nextBytes(payload);
        start();
        try (var server = vnc.accept()) {
            var typing = greetAndType(server, payload);
            Thread.sleep(500);
            assertThat(typing.isAlive())
                    .as("held back while the server does not read")
                    .isTrue();

            var got = server.getInputStream().readNBytes(BROWSER_HANDSHAKE.length + payload.length);
            assertThat(typing.join(Duration.ofSeconds(10))).isTrue();
            assertThat(Arrays.copyOfRange(got, BROWSER_HANDSHAKE.length, got.length))
                    .isEqualTo(payload);
            assertThat(closedWith.get()).isNull();
        }
    }

    @Test
    void a_server_that_never_reads_again_is_given_up_after_the_send_timeout() throws Exception {
        start(true, Duration.ofSeconds(1));
        try (var server = vnc.accept()) {
            var typing = greetAndType(server, new byte[32 << 20]);

            awaitClosed(Duration.ofSeconds(10));
            assertThat(closedWith.get()).isEqualTo(CloseReason.DISPLAY_UNREACHABLE);
            assertThat(typing.join(Duration.ofSeconds(5)))
                    .as("the browser's side is let go")
                    .isTrue();
        }
    }

    /** The server greets; the browser answers the handshake and then sends {@code payload}, on a thread. */
    private Thread greetAndType(Socket server, byte[] payload) throws Exception {
        server.getOutputStream().write(GREETING);
        await(1);
        relay.fromBrowser(ByteBuffer.wrap(BROWSER_HANDSHAKE));
        return Thread.ofVirtual().start(() -> {
            for (int at = 0; at < payload.length && !relay.isClosed(); at += 64 << 10) {
                relay.fromBrowser(ByteBuffer.wrap(payload, at, Math.min(64 << 10, payload.length - at)));
            }
        });
    }

    private void start() {
        start(true);
    }

    private void start(boolean admitted) {
        start(admitted, Duration.ofSeconds(15));
    }

    private void start(boolean admitted, Duration sendTimeout) {
        var grant = new ConsoleGrant(
                "alice", new DomainRef("h", UUID.randomUUID()), "vm", ConsoleKind.SCREEN, true, "session", "USER");
        var locator = new DisplayLocator(null) {
            @Override
            VncEndpoint locate(DomainRef vm) {
                return display;
            }
        };
        relay = new ScreenRelay(
                new Relay.RelayContext(
                        browser(),
                        grant,
                        "127.0.0.1",
                        sendTimeout,
                        ended -> {
                            closedWith.set(ended.closeReason());
                            closed.complete(ended.closeReason());
                        },
                        null),
                locator,
                loops);
        relay.start();
        if (admitted) {
            relay.admit(true);
        }
    }

    private void awaitClosed(Duration timeout) throws Exception {
        closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A browser that keeps a copy of every message it takes: the relay reuses its buffers. */
    private BrowserSocket browser() {
        return new BrowserSocket() {
            @Override
            public void send(ByteBuffer message, Consumer<Throwable> done) {
                var copy = new byte[message.remaining()];
                message.get(copy);
                sent.add(copy);
                done.accept(null);
            }

            @Override
            public void ping() {}

            @Override
            public boolean isOpen() {
                return closedWith.get() == null;
            }

            @Override
            public void close(int code, String reason) {}

            @Override
            public int inputBufferSize() {
                return 4096;
            }

            @Override
            public void inputBufferSize(int bytes) {}
        };
    }

    private byte[] received() {
        var all = new ByteArrayOutputStream();
        sent.forEach(all::writeBytes);
        return all.toByteArray();
    }

    private void await(int messages) throws InterruptedException {
        for (int i = 0; i < 500 && sent.size() < messages; i++) {
            Thread.sleep(10);
        }
    }

    private static ServerSocket newServer() {
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
