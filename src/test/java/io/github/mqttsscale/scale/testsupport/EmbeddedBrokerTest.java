package io.github.mqttsscale.scale.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import io.github.mqttsscale.scale.mqtt.BrokerTls;
import io.github.mqttsscale.scale.mqtt.TlsFiles;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's life cycle as later tests use it, and its client-certificate modes. */
class EmbeddedBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void makePki() {
        pki = TestPki.create(dir);
    }

    @Test
    void restartKeepsThePortAndTheSubscriberGetsMessagesAgain() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.startDefault(pki);
                MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(broker, pki, "scale/restart")) {
            int port = broker.port();
            publish(broker, pki.clientTlsFiles(), "scale/restart", "before");
            assertThat(subscriber.awaitOne(WAIT).payloadText()).isEqualTo("before");

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            assertThat(broker.port()).isEqualTo(port);
            assertThat(broker.url()).isEqualTo("ssl://localhost:" + port);
            subscriber.awaitReady(WAIT);
            publish(broker, pki.clientTlsFiles(), "scale/restart", "after");
            assertThat(subscriber.awaitOne(WAIT).payloadText()).isEqualTo("after");
            subscriber.assertNothingWithin(Duration.ofMillis(200));
        }
    }

    @Test
    void optionalClientAuthenticationLetsClientsWithoutCertificateIn() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(pki).clientAuth(EmbeddedBroker.ClientAuth.OPTIONAL)
                .credentials("other-user", "other-password").build().start();
                MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(broker, pki, "scale/optional/+")) {
            publish(broker, TlsFiles.trusting(pki.caCertPem()), "scale/optional/x", "no client certificate");

            MqttTestSubscriber.Received received = subscriber.awaitOne(WAIT);
            assertThat(received.topic()).isEqualTo("scale/optional/x");
            assertThat(received.payloadText()).isEqualTo("no client certificate");
        }
    }

    private static void publish(EmbeddedBroker broker, TlsFiles tls, String topic, String payload)
            throws MqttException {
        MqttClient client = new MqttClient(broker.url(), "publisher-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(BrokerTls.socketFactory(tls));
        options.setUserName(broker.username());
        options.setPassword(broker.password().getBytes(StandardCharsets.UTF_8));
        client.connect(options);
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        client.disconnect();
        client.close();
    }
}
