package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/** With scale.division-kg set, a subscriber sees the weight in the scale's steps (the route's step round-to-division). */
class RoundToDivisionTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("round-to-division");

    @Test
    void thePublishedWeightIsAMultipleOfTheDivision() throws Exception {
        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.division-kg", "0.005",
                        // 2.5037 kg reads 2.504 at the resolution, 2.505 in steps of 5 g
                        "scale.simulator.load-kg", "2.5037"))) {
            JsonNode first = new ObjectMapper().readTree(weights.awaitOne(Duration.ofSeconds(30)).payload());
            assertThat(first.get("weight").decimalValue()).hasToString("2.505");
        }
    }
}
