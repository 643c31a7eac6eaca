package io.github.mqttsscale.scale.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;

import javax.net.ssl.SSLHandshakeException;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/**
 * The TLS failures as the JDKs report them, in the shapes seen with OpenJDK 17.0.15 and Temurin 25.0.3: CI runs on
 * 17, so the JDK 25 shapes are built here from the same exception types (the tests against the real broker,
 * BrokerProblemsTest and BrokerHostVerificationTest, pass on both JDKs).
 */
class ConnectionProblemTest {

    private static final BrokerProperties MQTT = new BrokerProperties("ssl://broker.example:8883", "scale", null,
            Path.of("ca.pem"), null, null, "mqtts-scale-test", 1, Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ZERO);

    private static final String NO_PATH = "unable to find valid certification path to requested target";

    @Test
    void anUntrustedBrokerCertificateIsNamedAsSuchOnJava17AndOnJava25() {
        SSLHandshakeException java17 = handshake("PKIX path building failed: " + NO_PATH,
                new CertPathBuilderException(NO_PATH));
        SSLHandshakeException java25 = handshake("(certificate_unknown) PKIX path building failed: " + NO_PATH,
                new CertPathBuilderException(NO_PATH));

        for (SSLHandshakeException failure : new SSLHandshakeException[]{java17, java25}) {
            assertThat(ConnectionProblem.explain(new MqttException(failure), MQTT))
                    .startsWith("the broker's certificate is not trusted")
                    .contains("scale.mqtt.ca (ca.pem) does not hold the CA that signed it");
        }
    }

    @Test
    void aCertificateForAnotherHostIsNamedAsSuchOnJava25() {
        String noName = "No subject alternative DNS name matching broker.example found.";
        SSLHandshakeException java25 = handshake("(certificate_unknown) " + noName, new CertificateException(noName));

        assertThat(ConnectionProblem.explain(new MqttException(java25), MQTT))
                .startsWith("the broker's certificate is not issued for host 'broker.example'");
    }

    @Test
    void theBrokerRefusingOurCertificateAsksForTheClientCertificate() {
        SSLHandshakeException alert = new SSLHandshakeException("Received fatal alert: bad_certificate");

        assertThat(ConnectionProblem.explain(new MqttException(alert), MQTT))
                .startsWith("the broker rejected the TLS handshake")
                .contains("scale.mqtt.client-cert and scale.mqtt.client-key");
    }

    @Test
    void aConnectionClosedAfterItWasSetUpIsNotCalledAFailedHandshake() {
        MqttException closed = new MqttException(new java.io.EOFException());

        assertThat(ConnectionProblem.explain(closed, MQTT)).contains("before TLS and MQTT were set up");
        assertThat(ConnectionProblem.explainLost(closed, MQTT))
                .isEqualTo("broker.example:8883 closed the connection: the broker stopped or restarted, or the network "
                        + "on the way dropped it.");
    }

    private static SSLHandshakeException handshake(String message, Exception cause) {
        SSLHandshakeException failure = new SSLHandshakeException(message);
        failure.initCause(cause);
        return failure;
    }
}
