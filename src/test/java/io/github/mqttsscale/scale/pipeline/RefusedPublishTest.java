package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;

import io.micrometer.core.instrument.MeterRegistry;

import io.github.mqttsscale.scale.monitoring.BrokerHealth;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.testsupport.DeliveryAssertions;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.PublishedWeights;
import io.github.mqttsscale.scale.testsupport.ReadingSeqs;

/**
 * A broker that answers the scale's publishes with a refusal (an MQTT 5 PUBACK reason code of 0x80 or above: 0x87 as
 * HiveMQ does when the user's permissions leave out the weight topic, 0x97 quota exceeded) has not taken them: the readings stay in the outbox, none
 * counts as published, the reason is logged once and shown in health; once the broker allows the topic every
 * reading arrives, in order.
 */
@ExtendWith(OutputCaptureExtension.class)
class RefusedPublishTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("refused-publish");
    private static final String SCALE_CLIENT_ID = "mqtts-scale-" + ScaleBrokerSetup.DEVICE_ID;

    @Test
    void readingsRefusedAsNotAuthorizedThenDisconnectedAreKeptAndAllArriveInOrderOnceAllowed(CapturedOutput output)
            throws Exception {
        // what HiveMQ (Cloud too) does for a topic the user's permissions leave out: PUBACK 0x87, then DISCONNECT
        SETUP.broker.refusePublishes(SCALE_CLIENT_ID, ScaleBrokerSetup.WEIGHT_TOPIC, AckReasonCode.NOT_AUTHORIZED);
        assertKeptReportedOnceAndDeliveredOnceAllowed(output,
                "not authorized to publish to " + ScaleBrokerSetup.WEIGHT_TOPIC
                        + ": check the broker's permissions");
    }

    @Test
    void readingsRefusedOnlyInTheAcknowledgementAreKeptAndAllArriveInOrderOnceAllowed(CapturedOutput output)
            throws Exception {
        // a broker that stays connected and only says no in the PUBACK (quota exceeded)
        SETUP.broker.refusePublishesStayingConnected(SCALE_CLIENT_ID, ScaleBrokerSetup.WEIGHT_TOPIC,
                AckReasonCode.QUOTA_EXCEEDED);
        assertKeptReportedOnceAndDeliveredOnceAllowed(output, "quota for this client is exceeded on "
                + ScaleBrokerSetup.WEIGHT_TOPIC);
    }

    private static void assertKeptReportedOnceAndDeliveredOnceAllowed(CapturedOutput output, String reason)
            throws Exception {
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.sample-interval", "200ms",
                        "scale.publish.min-change-kg", "0"))) {
            Outbox outbox = scale.bean(Outbox.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.getWaiting() >= 15);

            assertThat(PublishedWeights.counted(scale.bean(MeterRegistry.class)))
                    .as("weights counted as published while refused")
                    .isZero();
            assertThat(outbox.getSent()).isZero();
            subscriber.assertNothingWithin(Duration.ofMillis(500));
            Health health = scale.bean(BrokerHealth.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("reason")).asString().contains(reason);
            assertThat(output.getAll().split(Pattern.quote(reason), -1).length - 1).as("times the refusal was logged")
                    .isEqualTo(1);

            SETUP.broker.allowAllPublishes();
            long lastKept = outbox.getKept();
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.getWaiting() == 0);
            List<Long> arrived = new ArrayList<>();
            ReadingSeqs.collectUntil(subscriber, arrived, lastKept + 3, Duration.ofSeconds(30));
            assertThat(arrived.get(0)).as("the first reading taken").isEqualTo(1);
            DeliveryAssertions.assertNothingLostInOrder(arrived, 0);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> scale.bean(BrokerHealth.class).health().getStatus() == Status.UP);
            assertThat(output.getAll())
                    .contains("The broker takes publishes to " + ScaleBrokerSetup.WEIGHT_TOPIC + " again");
        } finally {
            SETUP.broker.allowAllPublishes();
        }
    }
}
