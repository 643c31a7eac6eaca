package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.mqttsscale.scale.testsupport.DeliveryAssertions;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.ReadingSeqs;

/** A subscriber that watches seq for gaps sees none across a clean stop and start (an upgrade, a reboot). */
class SeqAcrossRestartTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("seq-across-restart");

    @Test
    void aCleanStopAndStartContinuesSeqWithoutAGap() throws Exception {
        Map<String, String> settings = Map.of("scale.data-dir", SETUP.dir.resolve("data").toString(),
                "scale.sample-interval", "200ms", "scale.publish.min-change-kg", "0");
        List<Long> arrived = new ArrayList<>();
        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC)) {
            try (RunningScale scale = RunningScale.start(SETUP, settings)) {
                ReadingSeqs.collect(weights, arrived, 5, Duration.ofSeconds(30));
            }
            try (RunningScale restarted = RunningScale.start(SETUP, settings)) {
                long lastBeforeTheStop = arrived.get(arrived.size() - 1);
                ReadingSeqs.collectUntil(weights, arrived, lastBeforeTheStop + 5, Duration.ofSeconds(60));
            }
        }
        assertThat(arrived.get(0)).isEqualTo(1);
        DeliveryAssertions.assertNothingLostInOrder(arrived, 0);
    }
}
