package io.github.mqttsscale.scale.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.scale.config.BrokerProperties;
import io.github.mqttsscale.scale.testsupport.EmbeddedBroker;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber.Received;
import io.github.mqttsscale.scale.testsupport.TestPki;

/** The retained status topic: online while connected, offline after a clean stop and, by the last will, after a crash. */
class BrokerStatusTest {

    private static final String STATUS = "scale/status-test/status";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static TestPki pki;
    static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        broker = EmbeddedBroker.startDefault(pki);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void onlineWhileConnectedOfflineAfterAStop() {
        BrokerConnection connection = connection("status-stop");
        connection.start();
        try (MqttTestSubscriber status = MqttTestSubscriber.subscribe(broker, pki, STATUS)) {
            awaitStatus(status, "online");
            assertRetained("online");
            connection.stop();
            awaitStatus(status, "offline");
        }
        assertRetained("offline");
    }

    @Test
    void offlineByTheLastWillAfterACrash() throws Exception {
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        BrokerConnection connection = connection("status-crash", new RecordingSocketFactory(
                BrokerTls.socketFactory(pki.clientTlsFiles()), sockets));
        connection.start();
        try (MqttTestSubscriber status = MqttTestSubscriber.subscribe(broker, pki, STATUS)) {
            awaitStatus(status, "online");
            // the connection dies without a DISCONNECT packet, as when the process or the Pi dies
            for (Socket socket : sockets) {
                socket.close();
            }
            awaitStatus(status, "offline");
        } finally {
            connection.stop();
        }
        assertRetained("offline");
    }

    private static void assertRetained(String state) {
        try (MqttTestSubscriber late = MqttTestSubscriber.subscribe(broker, pki, STATUS)) {
            Received retained = late.awaitOne(WAIT);
            assertThat(retained.retained()).isTrue();
            assertThat(retained.payloadText()).isEqualTo(state);
        }
    }

    private static Received awaitStatus(MqttTestSubscriber subscriber, String state) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Received message = subscriber.awaitOne(WAIT);
            if (message.payloadText().equals(state)) {
                return message;
            }
        }
        throw new AssertionError("no '" + state + "' on " + STATUS);
    }

    private static BrokerConnection connection(String clientId) {
        return connection(clientId, BrokerTls.socketFactory(pki.clientTlsFiles()));
    }

    private static BrokerConnection connection(String clientId, SSLSocketFactory sockets) {
        BrokerProperties properties = new BrokerProperties(broker.url(), broker.username(), broker.password(),
                pki.caCertPem(), pki.clientCertPem(), pki.clientKeyPkcs8Pem(), clientId, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(1));
        return new BrokerConnection(properties, sockets, STATUS);
    }

    /** Keeps the sockets it makes, so that the test can kill the connection under the client. */
    private static final class RecordingSocketFactory extends SSLSocketFactory {

        private final SSLSocketFactory delegate;
        private final List<Socket> sockets;

        RecordingSocketFactory(SSLSocketFactory delegate, List<Socket> sockets) {
            this.delegate = delegate;
            this.sockets = sockets;
        }

        private Socket keep(Socket socket) {
            sockets.add(socket);
            return socket;
        }

        @Override
        public Socket createSocket() throws IOException {
            return keep(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return keep(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return keep(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return keep(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return keep(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return keep(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
