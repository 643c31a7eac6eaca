package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.mqttsscale.scale.monitoring.ScaleActivity;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.testsupport.DeliveryAssertions;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.ReadingSeqs;

/**
 * The route configuration publishing-route-away of routes/scale.camel.yaml, applied to the routes made from the
 * template weigh-and-publish: a reading whose publishing route is not running (being reloaded after an edit, or
 * removed by one) is kept in the outbox with a WARN, and sent once the route runs again, in order; so is the weight
 * event of such a reading, after its weight.
 */
@ExtendWith(OutputCaptureExtension.class)
class PublishingRouteAwayTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("publishing-route-away");

    @Test
    void readingsTakenWhileThePublishingRouteIsStoppedAreKeptAndSentInOrder(CapturedOutput output) throws Exception {
        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                MqttTestSubscriber events = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        "scale/" + ScaleBrokerSetup.DEVICE_ID + "/event");
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.sample-interval", "200ms",
                        "scale.publish.min-change-kg", "0"))) {
            List<Long> arrived = new ArrayList<>();
            ReadingSeqs.collect(weights, arrived, 3, Duration.ofSeconds(30));
            CamelContext camel = scale.bean(CamelContext.class);
            Outbox outbox = scale.bean(Outbox.class);

            await().atMost(Duration.ofSeconds(20)).until(() -> scale.scale().stableWeight().isStableNow());
            camel.getRouteController().stopRoute("publish");
            scale.scale().simulator().orElseThrow().setLoadKg(3.2);
            ScaleActivity activity = scale.bean(ScaleActivity.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> activity.lastEvent(scale.scale()).isPresent());
            await().atMost(Duration.ofSeconds(20)).until(() -> outbox.getKept() >= 3);
            assertThat(output.getAll()).contains("The route publish is not running (reloading after an edit of the "
                    + "routes, or missing from them): the reading is kept in the outbox");
            camel.getRouteController().startRoute("publish");

            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.getWaiting() == 0);
            ReadingSeqs.collectUntil(weights, arrived, arrived.get(arrived.size() - 1) + outbox.getKept() + 3,
                    Duration.ofSeconds(30));
            DeliveryAssertions.assertNothingLostInOrder(arrived, 0);
            assertThat(outbox.getSent()).as("kept readings sent once the route was back").isEqualTo(outbox.getKept());
            assertThat(events.awaitOne(Duration.ofSeconds(30)).payloadText()).as("the event, kept too")
                    .contains("\"type\":\"added\"");
            assertThat(scale.isWeighing()).isTrue();
        }
    }
}
