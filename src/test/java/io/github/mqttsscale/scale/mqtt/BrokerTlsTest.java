package io.github.mqttsscale.scale.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.net.ssl.SSLHandshakeException;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.mqttsscale.scale.testsupport.EmbeddedBroker;
import io.github.mqttsscale.scale.testsupport.MqttTestClients;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber.Received;
import io.github.mqttsscale.scale.testsupport.TestPki;

/**
 * The socket factory from {@link BrokerTls} against a real HiveMQ broker that requires a client certificate signed by
 * the test CA and checks user name and password.
 */
class BrokerTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final TestPki PKI = TestPki.shared();
    static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.startDefault(PKI);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void publishSubscribeRoundTripWithCaClientCertificateAndPassword() throws Exception {
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(broker, PKI, "scale/test/#")) {
            MqttClient publisher = MqttTestClients.connect(broker, BrokerTls.socketFactory(PKI.clientTlsFiles()));
            publisher.publish("scale/test/weight", "12.345".getBytes(StandardCharsets.UTF_8), 1, false);
            MqttTestClients.disconnect(publisher);

            Received received = subscriber.awaitOne(WAIT);
            assertThat(received.topic()).isEqualTo("scale/test/weight");
            assertThat(received.payloadText()).isEqualTo("12.345");
            assertThat(received.qos()).isEqualTo(1);
            assertThat(received.retained()).isFalse();
        }
    }

    static Stream<Arguments> clientIdentityFormats() {
        Function<TestPki, TlsFiles> derLikeTheOriginal = p -> new TlsFiles(p.caCertDer(), p.clientCertDer(),
                p.clientKeyPkcs1Der());
        Function<TestPki, TlsFiles> pemPkcs8 = p -> new TlsFiles(p.caCertPem(), p.clientCertPem(),
                p.clientKeyPkcs8Pem());
        Function<TestPki, TlsFiles> pemPkcs1 = p -> new TlsFiles(p.caCertPem(), p.clientCertPem(),
                p.clientKeyPkcs1Pem());
        Function<TestPki, TlsFiles> pemEc = p -> new TlsFiles(p.caCertPem(), p.clientEcCertPem(), p.clientEcKeyPem());
        return Stream.of(
                Arguments.of("DER certificate + DER PKCS#1 RSA key (cert.der/key.der)", derLikeTheOriginal),
                Arguments.of("PEM certificate + PEM PKCS#8 key", pemPkcs8),
                Arguments.of("PEM certificate + PEM PKCS#1 RSA key", pemPkcs1),
                Arguments.of("PEM certificate + PEM SEC1 EC key", pemEc));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientIdentityFormats")
    void clientCertificateAndKeyFormatsAreAccepted(String description, Function<TestPki, TlsFiles> files)
            throws Exception {
        MqttClient client = MqttTestClients.connect(broker, BrokerTls.socketFactory(files.apply(PKI)));
        assertThat(client.isConnected()).isTrue();
        MqttTestClients.disconnect(client);
    }

    @Test
    void wrongPasswordIsRefusedWithBadUserNameOrPassword() {
        MqttException refused = catchThrowableOfType(MqttException.class,
                () -> MqttTestClients.connect(broker, BrokerTls.socketFactory(PKI.clientTlsFiles()), "wrong", true));
        assertThat(refused.getReasonCode()).isEqualTo(134); // MQTT 5 CONNACK 0x86 Bad User Name or Password
    }

    @Test
    void missingClientCertificateIsRefusedWhenTheBrokerRequiresOne() {
        MqttException refused = catchThrowableOfType(MqttException.class,
                () -> MqttTestClients.connect(broker, BrokerTls.socketFactory(TlsFiles.trusting(PKI.caCertPem()))));
        // TLS 1.3: the broker's alert (bad_certificate / certificate_required) ends the handshake
        assertThat(refused).hasRootCauseInstanceOf(SSLHandshakeException.class);
        assertThat(refused.getCause()).hasMessageContaining("certificate");
    }

    @Test
    void brokerCertificateFromAnotherCaIsRefused() {
        TlsFiles otherCa = new TlsFiles(PKI.otherCaCertPem(), PKI.clientCertPem(), PKI.clientKeyPkcs8Pem());
        MqttException refused = catchThrowableOfType(MqttException.class,
                () -> MqttTestClients.connect(broker, BrokerTls.socketFactory(otherCa)));
        assertThat(refused).hasRootCauseInstanceOf(CertPathBuilderException.class);
    }

    @Test
    void withoutCaTheJvmTrustStoreIsUsedAndDoesNotTrustTheTestCa() {
        TlsFiles defaultTrust = new TlsFiles(null, PKI.clientCertPem(), PKI.clientKeyPkcs8Pem());
        MqttException refused = catchThrowableOfType(MqttException.class,
                () -> MqttTestClients.connect(broker, BrokerTls.socketFactory(defaultTrust)));
        assertThat(refused).hasRootCauseInstanceOf(CertPathBuilderException.class);
    }
}
