package org.kvmportal.benchmark.console;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one target server of the benchmark, for every proxy and for direct TCP: a VNC server stand-in that
 * greets at once (so "connect to first RFB byte" means the same for all), completes the RFB 3.8 handshake
 * with security type None, and then does what the client's one-byte mode asks:
 *
 * <ul>
 *   <li>{@code E}: echo every byte back, as it arrives;
 *   <li>{@code B} and a signed 64-bit count: send that many bytes as fast as the reader takes them (-1: forever);
 *   <li>{@code I}: stay silent until the client leaves (an idle console);
 *   <li>{@code A}: send 4 KiB every 20 ms (a console whose screen changes, about 200 KB/s).
 * </ul>
 *
 * One platform thread per connection keeps the server's own latency low and steady.
 */
final class FakeRfbServer implements AutoCloseable {

    static final byte ECHO = 'E';
    static final byte BULK = 'B';
    static final byte IDLE = 'I';
    static final byte ACTIVE = 'A';

    static final byte[] GREETING = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);
    static final int CHUNK = 64 * 1024;

    /** How a bulk stream went: what the server got rid of, and when its connection ended. */
    static final class BulkStream {
        final AtomicLong written = new AtomicLong();
        volatile long endedNanos;
    }

    private static final byte[] DATA = new byte[CHUNK];

    static {
        new Random(42).nextBytes(DATA); // incompressible, like a VNC stream
    }

    private final ServerSocket socket;
    private final AtomicReference<BulkStream> lastBulk = new AtomicReference<>();

    FakeRfbServer() throws IOException {
        socket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("fake-rfb-accept").start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The most recent bulk stream, for the stalled-reader measurement. */
    BulkStream lastBulk() {
        return lastBulk.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                var connection = socket.accept();
                Thread.ofPlatform().daemon().name("fake-rfb").start(() -> serve(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setTcpNoDelay(true);
            var out = connection.getOutputStream();
            var in = new DataInputStream(new BufferedInputStream(connection.getInputStream(), CHUNK));
            out.write(GREETING);
            in.readFully(new byte[12]); // the client's version
            out.write(new byte[] {1, 1}); // one security type: None
            in.readUnsignedByte();
            out.write(new byte[4]); // SecurityResult: OK
            in.readUnsignedByte(); // ClientInit
            out.write(serverInit());
            switch (in.readByte()) {
                case ECHO -> echo(in, out);
                case BULK -> {
                    bulk(in.readLong(), out);
                    // Stay until the client leaves: closing first would cut off what a proxy still queues.
                    in.transferTo(OutputStream.nullOutputStream());
                }
                case IDLE -> in.transferTo(OutputStream.nullOutputStream());
                case ACTIVE -> active(out);
                default -> {}
            }
        } catch (IOException | InterruptedException e) {
            // the client or the proxy went away: that ends every mode
        }
    }

    private static void echo(DataInputStream in, OutputStream out) throws IOException {
        var buffer = new byte[CHUNK];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
    }

    private void bulk(long count, OutputStream out) {
        var stream = new BulkStream();
        lastBulk.set(stream);
        try {
            for (long left = count; count < 0 || left > 0; left -= CHUNK) {
                int n = (int) (count < 0 ? CHUNK : Math.min(CHUNK, left));
                out.write(DATA, 0, n);
                stream.written.addAndGet(n);
            }
        } catch (IOException e) {
            // the proxy closed the connection
        } finally {
            stream.endedNanos = System.nanoTime();
        }
    }

    private static void active(OutputStream out) throws IOException, InterruptedException {
        while (true) {
            out.write(DATA, 0, 4096);
            Thread.sleep(20);
        }
    }

    /** 1024 x 768, 32 bits per pixel true colour, named "bench". */
    private static byte[] serverInit() {
        var name = "bench".getBytes(StandardCharsets.US_ASCII);
        var init = java.nio.ByteBuffer.allocate(24 + name.length);
        init.putShort((short) 1024).putShort((short) 768);
        init.put(new byte[] {32, 24, 0, 1, 0, (byte) 255, 0, (byte) 255, 0, (byte) 255, 16, 8, 0, 0, 0, 0});
        init.putInt(name.length).put(name);
        return init.array();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
