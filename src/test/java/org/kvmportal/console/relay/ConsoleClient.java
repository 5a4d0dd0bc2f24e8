package org.kvmportal.console.relay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A console WebSocket as a test drives it: what it received (counted and hashed), pings, and how it closed.
 * With {@code reading} false it takes nothing after the handshake, like a browser tab that froze.
 */
final class ConsoleClient implements WebSocket.Listener {

    final CompletableFuture<String> closed = new CompletableFuture<>();
    final AtomicLong received = new AtomicLong();
    final AtomicInteger pings = new AtomicInteger();
    private final MessageDigest digest = sha256();
    private final boolean reading;
    WebSocket socket;

    /** One client for all: each HttpClient has a selector thread of its own, and floods open a thousand. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ConsoleClient(boolean reading) {
        this.reading = reading;
    }

    /**
     * Opens {@code /console/ws/screen} with the ticket; {@code origin} and {@code cookie} null to leave those
     * headers out.
     *
     * @return the client, or the HTTP status of a refused handshake as {@link Refused}
     */
    static ConsoleClient open(int port, String ticket, String sessionId, String origin, boolean reading)
            throws Refused {
        return open(port, "/console/ws/screen", ticket, sessionId, origin, reading, null);
    }

    /**
     * @param path the console's path: {@code /console/ws/screen} or {@code /console/ws/serial}
     * @param ticket null to offer none
     * @param forwardedFor an {@code X-Forwarded-For} address, as a reverse proxy sends it, or null
     */
    static ConsoleClient open(
            int port, String path, String ticket, String sessionId, String origin, boolean reading, String forwardedFor)
            throws Refused {
        var client = new ConsoleClient(reading);
        var builder = HTTP.newWebSocketBuilder();
        if (forwardedFor != null) {
            builder.header("X-Forwarded-For", forwardedFor);
        }
        if (sessionId != null) {
            builder.header("Cookie", "JSESSIONID=" + sessionId);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        if (ticket == null) {
            builder.subprotocols(RelayHandler.SUBPROTOCOL);
        } else {
            builder.subprotocols(RelayHandler.SUBPROTOCOL, "kvmportal.ticket." + ticket);
        }
        try {
            client.socket = builder.buildAsync(URI.create("ws://localhost:" + port + path), client)
                    .get(10, TimeUnit.SECONDS);
            return client;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new Refused(refused.getResponse().statusCode());
            }
            throw new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    void send(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    synchronized byte[] digest() {
        return digest.digest();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (this) {
            received.addAndGet(data.remaining());
            digest.update(data);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error " + error);
    }

    /** The server answered the handshake with this status instead of switching protocols. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status) {
            super("refused with HTTP " + status);
            this.status = status;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
