package org.kvmportal.benchmark.console;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A minimal blocking WebSocket client (RFC 6455, and RFC 7692 compression when the server accepts the offer
 * that browsers make) on a plain socket. Written for the benchmark rather than
 * taken from java.net.http: it adds no thread hand-offs and no copies of its own, so the round trips it
 * measures are the proxy's, and both proxies get exactly the same client. Sends each write as one masked
 * binary frame; reads payload bytes across frames as one stream, answering pings.
 */
final class WsPipe implements Pipe {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long frameLeft;
    private byte[] frame = new byte[1024];
    private boolean closed;
    private boolean fin;
    private boolean compressed;
    /** Set when the server accepted permessage-deflate, as a browser always offers it. */
    private final Inflater inflater;

    private byte[] inflated = new byte[64 * 1024];
    private int inflatedPosition;
    private int inflatedLimit;

    /**
     * Opens the WebSocket: an HTTP upgrade to {@code path} on 127.0.0.1:{@code port} with the given extra
     * header lines (Origin, Cookie, Sec-WebSocket-Protocol), failing unless the answer is 101.
     */
    WsPipe(int port, String path, String extraHeaders) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        var key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                // Offered as every browser does; this client's own messages stay uncompressed, which is allowed.
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                + extraHeaders
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        String head = readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException(
                    "WebSocket refused: " + head.lines().findFirst().orElse(head));
        }
        boolean deflate = head.toLowerCase(Locale.ROOT).contains("sec-websocket-extensions: permessage-deflate");
        inflater = deflate ? new Inflater(true) : null;
    }

    /** The response head; whatever follows it (the first frames) stays in the buffer. */
    private String readHead() throws IOException {
        while (true) {
            for (int i = 3; i < limit; i++) {
                if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n') {
                    position = i + 1;
                    return new String(buffer, 0, i, StandardCharsets.US_ASCII);
                }
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                throw new EOFException("no HTTP answer: " + new String(buffer, 0, limit, StandardCharsets.US_ASCII));
            }
            limit += n;
        }
    }

    /** Whether the server compresses what it sends (it accepted permessage-deflate). */
    boolean compressing() {
        return inflater != null;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        sendFrame(0x2, bytes, offset, length);
    }

    /** Synchronized: a reader thread may answer a ping while another thread writes. */
    private synchronized void sendFrame(int opcode, byte[] bytes, int offset, int length) throws IOException {
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        if (frame.length < header + 4 + length) {
            frame = new byte[header + 4 + length];
        }
        frame[0] = (byte) (0x80 | opcode);
        if (header == 2) {
            frame[1] = (byte) (0x80 | length);
        } else if (header == 4) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
        int mask = ThreadLocalRandom.current().nextInt();
        for (int i = 0; i < 4; i++) {
            frame[header + i] = (byte) (mask >>> (24 - 8 * i));
        }
        int start = header + 4;
        for (int i = 0; i < length; i++) {
            frame[start + i] = (byte) (bytes[offset + i] ^ frame[header + (i & 3)]);
        }
        out.write(frame, 0, start + length);
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (inflatedPosition < inflatedLimit) {
            int n = Math.min(length, inflatedLimit - inflatedPosition);
            System.arraycopy(inflated, inflatedPosition, into, offset, n);
            inflatedPosition += n;
            return n;
        }
        while (frameLeft == 0) {
            if (!nextDataFrame()) {
                return -1;
            }
            if (compressed) {
                inflateMessage();
                return read(into, offset, length);
            }
        }
        int n = rawRead(into, offset, (int) Math.min(length, frameLeft));
        if (n < 0) {
            throw new EOFException("the connection ended inside a frame");
        }
        frameLeft -= n;
        return n;
    }

    /** Reads frame headers until a data frame starts; false on a close frame. */
    private boolean nextDataFrame() throws IOException {
        if (closed) {
            return false;
        }
        var head = new byte[2];
        rawReadFully(head, 2);
        int opcode = head[0] & 0x0f;
        if (opcode < 0x8) { // data frames; control frames may come between a message's frames
            if (opcode != 0) { // a message's first frame says whether it is compressed (RSV1)
                compressed = (head[0] & 0x40) != 0;
            }
            fin = (head[0] & 0x80) != 0;
        }
        long length = head[1] & 0x7f;
        if (length == 126) {
            var ext = new byte[2];
            rawReadFully(ext, 2);
            length = ((ext[0] & 0xff) << 8) | (ext[1] & 0xff);
        } else if (length == 127) {
            var ext = new byte[8];
            rawReadFully(ext, 8);
            length = 0;
            for (byte b : ext) {
                length = (length << 8) | (b & 0xff);
            }
        }
        if (opcode >= 0x8) { // control frames: at most 125 bytes
            var payload = new byte[(int) length];
            rawReadFully(payload, payload.length);
            if (opcode == 0x9) {
                sendFrame(0xA, payload, 0, payload.length);
            } else if (opcode == 0x8) {
                closed = true;
                return false;
            }
            return true;
        }
        frameLeft = length;
        return true;
    }

    /** Reads the rest of a compressed message, all its frames, and inflates it (RFC 7692, context kept). */
    private void inflateMessage() throws IOException {
        var message = new ByteArrayOutputStream();
        while (true) {
            var part = new byte[(int) frameLeft];
            rawReadFully(part, part.length);
            message.writeBytes(part);
            frameLeft = 0;
            if (fin) {
                break;
            }
            do {
                if (!nextDataFrame()) {
                    throw new EOFException("closed inside a message");
                }
            } while (frameLeft == 0 && !fin);
        }
        message.writeBytes(new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
        inflater.setInput(message.toByteArray());
        inflatedPosition = 0;
        inflatedLimit = 0;
        try {
            while (!inflater.needsInput()) {
                if (inflatedLimit == inflated.length) {
                    inflated = Arrays.copyOf(inflated, inflated.length * 2);
                }
                inflatedLimit += inflater.inflate(inflated, inflatedLimit, inflated.length - inflatedLimit);
            }
        } catch (DataFormatException e) {
            throw new IOException(e);
        }
    }

    private int rawRead(byte[] into, int offset, int length) throws IOException {
        if (position < limit) {
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, into, offset, n);
            position += n;
            return n;
        }
        if (length >= 4096) {
            return in.read(into, offset, length); // large reads bypass the buffer: no extra copy
        }
        position = 0;
        limit = Math.max(in.read(buffer, 0, buffer.length), 0);
        if (limit == 0) {
            return -1;
        }
        return rawRead(into, offset, length);
    }

    private void rawReadFully(byte[] into, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = rawRead(into, done, length - done);
            if (n < 0) {
                throw new EOFException("the connection ended inside a frame header");
            }
            done += n;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (!closed && !socket.isClosed()) {
                sendFrame(0x8, new byte[] {0x03, (byte) 0xe8}, 0, 2); // 1000, normal closure
            }
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            socket.close();
        }
    }
}
