package io.github.mqttsscale.scale.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.github.mqttsscale.scale.mqtt.TlsFiles;

/** A broker that asks for, but does not require, a client certificate (for brokers like HiveMQ Cloud's free plan). */
class EmbeddedBrokerOptionalClientAuthTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static final TestPki PKI = TestPki.shared();

    @Test
    void optionalClientAuthenticationLetsClientsWithoutCertificateIn() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(PKI).clientAuth(EmbeddedBroker.ClientAuth.OPTIONAL)
                .credentials("other-user", "other-password").build().start();
                MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(broker, PKI, "scale/optional/+")) {
            TlsFiles noClientCertificate = TlsFiles.trusting(PKI.caCertPem());
            MqttTestClients.publish(broker, noClientCertificate, "scale/optional/x", "no client certificate", 1,
                    false);

            MqttTestSubscriber.Received received = subscriber.awaitOne(WAIT);
            assertThat(received.topic()).isEqualTo("scale/optional/x");
            assertThat(received.payloadText()).isEqualTo("no client certificate");
        }
    }
}
