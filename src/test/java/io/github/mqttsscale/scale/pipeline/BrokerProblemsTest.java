package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/**
 * A scale that cannot reach its broker must stay up, say why in words a user can act on, keep
 * retrying, and start publishing once the broker is there.
 */
@ExtendWith(OutputCaptureExtension.class)
class BrokerProblemsTest {

    private static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("broker-problems");

    @AfterAll
    static void stopBroker() {
        SETUP.broker.close();
    }

    @Test
    void aWrongPasswordIsReportedAsSuchAndTheScaleStaysUp(CapturedOutput output) throws InterruptedException {
        SETUP.broker.start();
        String wrongPassword = "not-" + SETUP.broker.password() + "-at-all";
        try (RunningScale scale = RunningScale.start(SETUP, Map.of("scale.mqtt.password", wrongPassword,
                "scale.mqtt.reconnect-max-delay", "60s"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scale.broker().lastProblem())
                    .contains("user name or password").contains("scale.mqtt.password"));
            int attemptsSoFar = attempts(output);
            // what is counted is the attempts over a known time: the whole 8 s are waited out
            Thread.sleep(8_000);
            // backoff 1, 2, 4, 8 s...: at most three more attempts in 8 s, not one per reading or per second
            assertThat(attempts(output) - attemptsSoFar).as("connection attempts in 8 s").isBetween(1, 3);
            assertThat(scale.broker().isConnected()).isFalse();
            assertThat(scale.isWeighing()).isTrue();
            assertThat(output.getAll()).contains("Cannot connect to broker").doesNotContain(wrongPassword);
        }
    }

    @Test
    void aBrokerThatWantsAClientCertificateSaysSo(CapturedOutput output) {
        SETUP.broker.start();
        try (RunningScale scale = RunningScale.start(SETUP,
                Map.of("scale.mqtt.client-cert", "", "scale.mqtt.client-key", ""))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scale.broker().lastProblem())
                    .contains("client certificate").contains("scale.mqtt.client-cert"));
            assertThat(scale.isWeighing()).isTrue();
        }
    }

    /** Attempts to reach this test's broker (other scales in this JVM may be retrying other addresses). */
    private static int attempts(CapturedOutput output) {
        return output.getAll().split("Cannot connect to broker " + SETUP.broker.url(), -1).length - 1;
    }

    @Test
    void anUntrustedBrokerCertificateIsRefusedWithTheFix(CapturedOutput output) {
        SETUP.broker.start();
        try (RunningScale scale = RunningScale.start(SETUP,
                Map.of("scale.mqtt.ca", SETUP.pki.otherCaCertPem().toString()))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scale.broker().lastProblem())
                    .contains("certificate is not trusted").contains("scale.mqtt.ca"));
            assertThat(scale.broker().isConnected()).isFalse();
            assertThat(scale.isWeighing()).isTrue();
            assertThat(output.getAll()).contains("certificate is not trusted");
        }
    }

    @Test
    void aBrokerThatIsDownAtBootIsRetriedAndUsedOnceItIsUp() {
        SETUP.broker.stop();
        try (RunningScale scale = RunningScale.start(SETUP, Map.of("scale.publish.heartbeat", "1s"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(
                    () -> assertThat(scale.broker().lastProblem()).contains("nothing accepts connections"));
            assertThat(scale.isWeighing()).isTrue();

            SETUP.broker.start();
            try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                    ScaleBrokerSetup.WEIGHT_TOPIC)) {
                assertThat(subscriber.awaitOne(Duration.ofSeconds(20)).payloadText()).contains("\"weight\":2.500");
            }
            assertThat(scale.broker().isConnected()).isTrue();
            assertThat(scale.broker().lastProblem()).isNull();
        }
    }
}
