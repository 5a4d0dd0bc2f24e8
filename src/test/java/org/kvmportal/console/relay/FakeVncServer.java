package org.kvmportal.console.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in VNC server on loopback for relay tests: each connection is served by whatever the test set
 * last, on its own thread. A real VNC server cannot be told to stall, flood or hang up on cue.
 */
final class FakeVncServer implements AutoCloseable {

    static final byte[] GREETING = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);

    interface Behaviour {
        void serve(Socket connection) throws IOException;
    }

    private final ServerSocket listener;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour = FakeVncServer::greetAndListen;

    FakeVncServer() {
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("fake-vnc").start(this::acceptAll);
    }

    int port() {
        return listener.getLocalPort();
    }

    void behave(Behaviour next) {
        behaviour = next;
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                var connection = listener.accept();
                connections.add(connection);
                var serving = behaviour;
                Thread.ofPlatform().daemon().name("fake-vnc-conn").start(() -> {
                    try (connection) {
                        serving.serve(connection);
                    } catch (IOException ignored) {
                        // the relay hung up: that is what some tests wait for
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Like a VNC server with nothing to show: greets, then takes whatever comes until the client hangs up. */
    static void greetAndListen(Socket connection) throws IOException {
        connection.getOutputStream().write(GREETING);
        connection.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    }

    /** Reads exactly {@code length} bytes, or fails at end of stream. */
    static byte[] read(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new IOException("end of stream after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (var connection : connections) {
            connection.close();
        }
    }
}
