package org.kvmportal.benchmark.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Straight to the fake server: the reference every proxy's figure is compared with. */
final class TcpPipe implements Pipe {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    TcpPipe(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        return in.read(into, offset, length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
