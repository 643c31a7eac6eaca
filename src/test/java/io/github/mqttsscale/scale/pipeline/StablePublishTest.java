package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/**
 * With {@code scale.publish.on: stable}, on a noisy simulated load cell: a load step is published once, when it has
 * settled, with {@code "stable": true}; nothing while it settles, nothing again while it stays. With the default
 * {@code change}, a start publishes the first weight unsettled and the settled one once it settled.
 */
class StablePublishTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("stable-publish");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLoadStepIsPublishedOnceItSettledAndOnlyThen() throws Exception {
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.publish.on", "stable",
                        "scale.sample-interval", "200ms", "scale.publish.heartbeat", "1h",
                        "scale.simulator.noise-counts", "15"))) {
            JsonNode first = JSON.readTree(subscriber.await(1, Duration.ofSeconds(30)).get(0).payload());
            assertThat(first.get("stable").asBoolean()).isTrue();
            assertThat(first.get("weight").decimalValue().doubleValue()).isCloseTo(2.5,
                    org.assertj.core.data.Offset.offset(0.003));

            long changedAt = System.nanoTime();
            scale.scale().simulator().orElseThrow().setLoadKg(6.5);
            JsonNode settled = JSON.readTree(subscriber.await(1, Duration.ofSeconds(30)).get(0).payload());
            long tookMillis = (System.nanoTime() - changedAt) / 1_000_000;
            System.out.printf("FIDELITY load step 2.5 -> 6.5 kg, noise 15 counts: first stable publish after %d ms%n",
                    tookMillis);
            assertThat(settled.get("stable").asBoolean()).isTrue();
            assertThat(settled.get("weight").decimalValue().doubleValue()).isCloseTo(6.5,
                    org.assertj.core.data.Offset.offset(0.003));
            assertThat(tookMillis).as("a whole window (2 s) of readings of the new load first")
                    .isGreaterThanOrEqualTo(2000);

            // nothing may be published over the next 4 s (two windows of noisy readings): waited out whole
            Thread.sleep(4_000);
            List<MqttTestSubscriber.Received> more = subscriber.pending();
            assertThat(more).as("the settled value went out once; the noise within tolerance publishes nothing")
                    .isEmpty();
        }
    }

    /**
     * The first weight after a start goes out before a whole stable window of readings: {@code "stable": false}. A
     * subscriber (Home Assistant's Stable entity) learns that it settled from the next weight, within about the
     * window, not at the heartbeat (1 h here); then nothing while it stays.
     */
    @Test
    void aStartPublishesTheSettledWeightOnceItSettled() throws Exception {
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.sample-interval", "200ms",
                        "scale.publish.heartbeat", "1h", "scale.simulator.noise-counts", "15"))) {
            JsonNode first = JSON.readTree(subscriber.await(1, Duration.ofSeconds(30)).get(0).payload());
            assertThat(first.get("stable").asBoolean()).as("the first weight, before a whole window: %s", first)
                    .isFalse();

            JsonNode settled = JSON.readTree(subscriber.await(1, Duration.ofSeconds(30)).get(0).payload());
            assertThat(settled.get("stable").asBoolean()).as("the next weight: %s", settled).isTrue();
            assertThat(settled.get("seq").asLong()).isEqualTo(first.get("seq").asLong() + 1);
            assertThat(settled.get("weight").decimalValue().doubleValue()).isCloseTo(2.5,
                    org.assertj.core.data.Offset.offset(0.003));

            Thread.sleep(4_000);
            assertThat(subscriber.pending()).as("settled and unchanged: nothing more until the heartbeat").isEmpty();
        }
    }
}
