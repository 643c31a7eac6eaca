package io.github.mqttsscale.scale.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

import io.github.mqttsscale.scale.testsupport.EmbeddedBroker;
import io.github.mqttsscale.scale.testsupport.MqttTestClients;
import io.github.mqttsscale.scale.testsupport.TestPki;

/**
 * Brokers whose certificate must be refused: signed by a CA the client does not trust, or issued for another host.
 * <p>
 * Paho MQTTv5 1.2.5 does apply its own host-name check ({@code httpsHostnameVerificationEnabled}, default true) with a
 * custom socket factory, but anyone can switch it off; the sockets from {@link BrokerTls} check the host name
 * regardless.
 */
class BrokerHostVerificationTest {

    private static final TestPki PKI = TestPki.shared();

    @Test
    void brokerCertificateSignedByAnUntrustedCaIsRefused() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(PKI).keyStore(PKI.untrustedBrokerKeyStore()).build()
                .start()) {
            MqttException refused = catchThrowableOfType(MqttException.class,
                    () -> MqttTestClients.connect(broker, BrokerTls.socketFactory(PKI.clientTlsFiles())));
            assertThat(refused).hasRootCauseInstanceOf(CertPathBuilderException.class);
        }
    }

    @Test
    void brokerCertificateForAnotherHostIsRefusedEvenWithPahosHostCheckSwitchedOff() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(PKI).keyStore(PKI.wrongHostBrokerKeyStore()).build()
                .start()) {
            SSLSocketFactory factory = BrokerTls.socketFactory(PKI.clientTlsFiles());

            for (boolean pahoCheck : new boolean[]{true, false}) {
                MqttException refused = catchThrowableOfType(MqttException.class,
                        () -> MqttTestClients.connect(broker, factory, broker.password(), pahoCheck));
                // trusted chain, wrong name: the host-name check, not the path check, refuses it
                assertThat(refused).as("Paho host-name check %s", pahoCheck)
                        .hasRootCauseExactlyInstanceOf(CertificateException.class)
                        .rootCause().hasMessageContaining(TestPki.BROKER_HOST);
            }

            // Control: the same trust material without BrokerTls's socket wrapper is let through once Paho's check is
            // off, so it is the wrapper that refused above.
            SSLSocketFactory unwrapped = BrokerTls.sslBundle(PKI.clientTlsFiles()).createSslContext()
                    .getSocketFactory();
            MqttClient client = MqttTestClients.connect(broker, unwrapped, broker.password(), false);
            assertThat(client.isConnected()).isTrue();
            MqttTestClients.disconnect(client);
        }
    }
}
