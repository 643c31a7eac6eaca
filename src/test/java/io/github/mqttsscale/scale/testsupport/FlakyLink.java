package io.github.mqttsscale.scale.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link between the scale and the broker, on loopback, that a test can break as Wi-Fi breaks:
 * {@link #cut()} drops every connection and refuses new ones, {@link #silence()} accepts connections
 * but never answers (a half-dead router), {@link #restore()} forwards again. TLS passes through
 * untouched, so the scale still verifies the broker's certificate for {@code localhost}.
 */
public final class FlakyLink implements AutoCloseable {

    private enum State {
        FORWARD,
        CUT,
        SILENT
    }

    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile State state = State.FORWARD;

    public FlakyLink(int targetPort) {
        this.targetPort = targetPort;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "flaky-link-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code ssl://localhost:<port>}: the scale connects here instead of to the broker. */
    public String url() {
        return "ssl://" + TestPki.BROKER_HOST + ":" + port();
    }

    public void cut() {
        state = State.CUT;
        closeAll();
    }

    public void silence() {
        state = State.SILENT;
        closeAll();
    }

    public void restore() {
        state = State.FORWARD;
    }

    @Override
    public void close() {
        state = State.CUT;
        closeAll();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                switch (state) {
                    case CUT -> client.close();
                    case SILENT -> {
                        open.add(client);
                        pump(client.getInputStream(), OutputStream.nullOutputStream(), client, null);
                    }
                    case FORWARD -> {
                        Socket broker = new Socket();
                        broker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                        open.add(client);
                        open.add(broker);
                        pump(client.getInputStream(), broker.getOutputStream(), client, broker);
                        pump(broker.getInputStream(), client.getOutputStream(), broker, client);
                    }
                }
            } catch (IOException e) {
                // the listener was closed, or one connection failed: go on with the next
            }
        }
    }

    private void pump(InputStream from, OutputStream to, Socket source, Socket sink) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int read; (read = from.read(buffer)) >= 0;) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            } catch (IOException e) {
                // the link was cut or the peer went away
            } finally {
                closeQuietly(source);
                closeQuietly(sink);
            }
        }, "flaky-link-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private void closeAll() {
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
