package io.github.mqttsscale.scale.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    /**
     * With a will delay, a blip the scale is back from within it shows nothing; a longer outage shows offline once the
     * delay has passed.
     */
    @Test
    void aWillDelayHidesABlipAndShowsALongerOutage() throws Exception {
        Duration willDelay = Duration.ofSeconds(5);
        try (FlakyLink link = new FlakyLink(broker.port())) {
            BrokerConnection connection = connection("status-blip", link.url(), willDelay);
            connection.start();
            try (MqttTestSubscriber status = MqttTestSubscriber.subscribe(broker, pki, STATUS)) {
                awaitStatus(status, "online");
                link.cut();
                link.restore(); // the next connect attempt comes 200 ms later
                await("reconnected").atMost(WAIT).until(connection::isConnected);
                // waiting out the delay is what is tested: had the will not been withdrawn, offline would come now
                Thread.sleep(willDelay.plusSeconds(2).toMillis());
                assertThat(status.pending()).as("the blip: online again at most, never offline")
                        .extracting(Received::payloadText).containsOnly("online");
                status.clear();

                link.cut();
                long cut = System.nanoTime();
                awaitStatus(status, "offline");
                assertThat(Duration.ofNanos(System.nanoTime() - cut)).as("offline only after the will delay")
                        .isGreaterThanOrEqualTo(willDelay.minusMillis(500));
            } finally {
                connection.stop();
            }
        }
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
        return connection(clientId, url, Duration.ZERO);
    }

    private static BrokerConnection connection(String clientId, String url, Duration willDelay) {
        BrokerProperties properties = new BrokerProperties(url, broker.username(), broker.password(),
                pki.caCertPem(), pki.clientCertPem(), pki.clientKeyPkcs8Pem(), clientId, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(1), willDelay);
        return new BrokerConnection(properties, BrokerTls.socketFactory(pki.clientTlsFiles()), STATUS);
    }
}
