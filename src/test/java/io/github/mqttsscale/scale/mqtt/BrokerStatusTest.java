package io.github.mqttsscale.scale.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.scale.testsupport.EmbeddedBroker;
import io.github.mqttsscale.scale.testsupport.FlakyLink;
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
        try (FlakyLink link = new FlakyLink(broker.port())) {
            BrokerConnection connection = connection("status-crash", link.url());
            connection.start();
            try (MqttTestSubscriber status = MqttTestSubscriber.subscribe(broker, pki, STATUS)) {
                awaitStatus(status, "online");
                // the connection dies without a DISCONNECT packet, as when the process or the Pi dies
                link.cut();
                awaitStatus(status, "offline");
            } finally {
                connection.stop();
            }
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
        return connection(clientId, broker.url());
    }

    private static BrokerConnection connection(String clientId, String url) {
        BrokerProperties properties = new BrokerProperties(url, broker.username(), broker.password(),
                pki.caCertPem(), pki.clientCertPem(), pki.clientKeyPkcs8Pem(), clientId, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(1));
        return new BrokerConnection(properties, BrokerTls.socketFactory(pki.clientTlsFiles()), STATUS);
    }
}
