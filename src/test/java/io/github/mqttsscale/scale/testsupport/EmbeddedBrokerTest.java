package io.github.mqttsscale.scale.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The broker's life cycle as later tests use it: stopped and started again under a connected subscriber. */
class EmbeddedBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static final TestPki PKI = TestPki.shared();

    @Test
    void restartKeepsThePortAndTheSubscriberGetsMessagesAgain() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.startDefault(PKI);
                MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(broker, PKI, "scale/restart")) {
            int port = broker.port();
            MqttTestClients.publish(broker, PKI.clientTlsFiles(), "scale/restart", "before", 1, false);
            assertThat(subscriber.awaitOne(WAIT).payloadText()).isEqualTo("before");

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            assertThat(broker.port()).isEqualTo(port);
            assertThat(broker.url()).isEqualTo("ssl://localhost:" + port);
            subscriber.awaitReady(WAIT);
            MqttTestClients.publish(broker, PKI.clientTlsFiles(), "scale/restart", "after", 1, false);
            assertThat(subscriber.awaitOne(WAIT).payloadText()).isEqualTo("after");
            subscriber.assertNothingWithin(Duration.ofMillis(200));
        }
    }
}
