package io.github.mqttsscale.scale.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLSocketFactory;

import io.github.mqttsscale.scale.testsupport.EmbeddedBroker;
import io.github.mqttsscale.scale.testsupport.TestPki;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brokers whose certificate must be refused: signed by a CA the client does not trust, or issued for another host.
 * <p>
 * Paho MQTTv5 1.2.5 does apply its own host-name check ({@code httpsHostnameVerificationEnabled}, default true) with a
 * custom socket factory, but anyone can switch it off; the sockets from {@link BrokerTls} check the host name
 * regardless.
 */
class BrokerHostVerificationTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void makePki() {
        pki = TestPki.create(dir);
    }

    @Test
    void brokerCertificateSignedByAnUntrustedCaIsRefused() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(pki).keyStore(pki.untrustedBrokerKeyStore()).build()
                .start()) {
            MqttException refused = catchThrowableOfType(MqttException.class,
                    () -> MqttConnect.connect(broker, BrokerTls.socketFactory(pki.clientTlsFiles())));
            assertThat(refused).hasRootCauseInstanceOf(CertPathBuilderException.class);
        }
    }

    @Test
    void brokerCertificateForAnotherHostIsRefusedEvenWithPahosHostCheckSwitchedOff() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(pki).keyStore(pki.wrongHostBrokerKeyStore()).build()
                .start()) {
            SSLSocketFactory factory = BrokerTls.socketFactory(pki.clientTlsFiles());

            for (boolean pahoCheck : new boolean[] { true, false }) {
                MqttException refused = catchThrowableOfType(MqttException.class,
                        () -> MqttConnect.connect(broker, factory, broker.password(), pahoCheck));
                // trusted chain, wrong name: the host-name check, not the path check, refuses it
                assertThat(refused).as("Paho host-name check %s", pahoCheck)
                        .hasRootCauseExactlyInstanceOf(CertificateException.class)
                        .rootCause().hasMessageContaining(TestPki.BROKER_HOST);
            }

            // Control: the same trust material without BrokerTls's socket wrapper is let through once Paho's check is
            // off, so it is the wrapper that refused above.
            SSLSocketFactory unwrapped = BrokerTls.sslBundle(pki.clientTlsFiles()).createSslContext()
                    .getSocketFactory();
            MqttClient client = MqttConnect.connect(broker, unwrapped, broker.password(), false);
            assertThat(client.isConnected()).isTrue();
            MqttConnect.disconnect(client);
        }
    }
}
