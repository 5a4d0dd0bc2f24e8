package org.kvmportal.benchmark.console;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;

/** A byte stream to the fake VNC server: straight over TCP, or through a WebSocket proxy. */
interface Pipe extends Closeable {

    void write(byte[] bytes, int offset, int length) throws IOException;

    /** Up to {@code length} bytes, at least one; -1 at the end of the stream. */
    int read(byte[] into, int offset, int length) throws IOException;

    default void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    default void readFully(byte[] into, int offset, int length) throws IOException {
        while (length > 0) {
            int n = read(into, offset, length);
            if (n < 0) {
                throw new EOFException("the stream ended " + length + " bytes early");
            }
            offset += n;
            length -= n;
        }
    }

    default byte[] readFully(int length) throws IOException {
        var bytes = new byte[length];
        readFully(bytes, 0, length);
        return bytes;
    }
}
