package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;

import io.micrometer.core.instrument.MeterRegistry;

import io.github.mqttsscale.scale.monitoring.BrokerHealth;
import io.github.mqttsscale.scale.monitoring.OutboxHealth;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.outbox.RefusedReadings;
import io.github.mqttsscale.scale.testsupport.DeliveryAssertions;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.PublishedWeights;
import io.github.mqttsscale.scale.testsupport.ReadingSeqs;

/**
 * A broker that answers the scale's publishes with a refusal (an MQTT 5 PUBACK reason code of 0x80 or above). One it
 * will not change by retrying (0x87 not authorized, as HiveMQ answers when the user's permissions leave out a topic) is
 * set aside at once, and the readings behind it go on, of the other scale too; health shows the readings set aside,
 * and after the topic is allowed, resend-refused delivers every one. One that may pass (0x97 quota exceeded) keeps the
 * reading in the outbox, tried again spaced out: once the broker takes it every reading arrives, in order; if it never
 * does, it is set aside after its tries and the readings behind it go on.
 */
@ExtendWith(OutputCaptureExtension.class)
class RefusedPublishTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("refused-publish");
    private static final String SCALE_CLIENT_ID = "mqtts-scale-" + ScaleBrokerSetup.DEVICE_ID;
    private static final String KEG_1 = "scale/keg-1/weight";
    private static final String KEG_2 = "scale/keg-2/weight";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "refused-test";
    /** One scale that publishes every reading, five a second. */
    private static final Map<String, String> EVERY_READING = Map.of("scale.sample-interval", "200ms",
            "scale.publish.min-change-kg", "0");

    @Test
    void aTopicNotAuthorizedIsSetAsideWhileTheOtherScaleGoesOnAndResendRefusedDeliversEveryReading(
            CapturedOutput output) throws Exception {
        try (MqttTestSubscriber keg1 = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, KEG_1);
                MqttTestSubscriber keg2 = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, KEG_2);
                RunningScale scale = RunningScale.start(SETUP, twoKegs())) {
            await().atMost(WAIT).until(() -> scale.broker().isConnected());
            TreeSet<Long> arrived = new TreeSet<>();
            for (MqttTestSubscriber.Received before : keg1.await(2, WAIT)) {
                arrived.add(ReadingSeqs.seq(before));
            }
            SETUP.broker.refusePublishesStayingConnected("refusing-kegs", KEG_1, AckReasonCode.NOT_AUTHORIZED);
            RefusedReadings refused = scale.bean(RefusedReadings.class);
            await().atMost(WAIT).until(() -> refused.getWaiting() >= 10);

            keg2.clear();
            assertThat(keg2.await(10, Duration.ofSeconds(10))).as("keg-2's readings, not held up by keg-1's")
                    .hasSize(10);
            assertThat(scale.bean(Outbox.class).getWaiting()).as("nothing queues behind the refused readings")
                    .isLessThan(3);
            Health health = scale.bean(OutboxHealth.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = (Map<String, Object>) health.getDetails().get("refused");
            assertThat(shown).as(health.toString()).isNotNull();
            assertThat((Integer) shown.get("waiting")).isGreaterThanOrEqualTo(10);
            assertThat(shown.get("byReason")).asString().contains("0x87 not authorized");
            assertThat(shown.get("last")).asString().startsWith(KEG_1 + ": not authorized to publish to " + KEG_1);
            assertThat(output.getAll().split(Pattern.quote("Set aside a reading for " + KEG_1), -1).length - 1)
                    .as("times setting aside was logged").isEqualTo(1);
            assertThat(scale.scale("keg-1").problems().now())
                    .as("keg-1's problem, in health, on the status page and in Home Assistant")
                    .hasEntrySatisfying("refused", reason -> assertThat(reason)
                            .contains("on " + KEG_1 + " (0x87 not authorized)").contains("resend-refused"));
            assertThat(scale.scale("keg-2").problems().now()).doesNotContainKey("refused");
            JsonNode status = JSON.readTree(statusPage(scale, "keg-2"));
            assertThat(status.get("refused").get("last").asText()).as("on the status page, of either scale")
                    .startsWith(KEG_1 + ": not authorized");

            SETUP.broker.allowAllPublishes();
            long firstAllowed = ReadingSeqs.seq(keg1.awaitOne(WAIT));
            JsonNode answer = scale.command("keg-1", "{\"command\":\"resend-refused\"}");
            assertThat(answer.get("ok").asBoolean()).as(answer.toString()).isTrue();
            assertThat(answer.get("reason").asText()).contains("in the outbox again");
            arrived.add(firstAllowed);
            // every seq of keg-1 up to the first after the topic was allowed
            ReadingSeqs.collectEvery(keg1, arrived, firstAllowed, WAIT);
            await().atMost(WAIT).until(() -> refused.getWaiting() == 0);
            assertThat(scale.scale("keg-1").problems().now()).as("over once resent").doesNotContainKey("refused");
        } finally {
            SETUP.broker.allowAllPublishes();
        }
    }

    @Test
    void readingsSetAsideBeforeARestartRemainTheProblemOfTheirScaleUntilResent() throws Exception {
        Map<String, String> settings = new HashMap<>(twoKegs());
        settings.put("scale.data-dir", SETUP.dir.resolve("refused-restart").toString());
        try {
            try (RunningScale scale = RunningScale.start(SETUP, settings)) {
                await().atMost(WAIT).until(() -> scale.broker().isOnline());
                SETUP.broker.refusePublishesStayingConnected("refusing-kegs", KEG_1, AckReasonCode.NOT_AUTHORIZED);
                await().atMost(WAIT).until(() -> scale.bean(RefusedReadings.class).getWaiting() >= 3);
            }
            SETUP.broker.allowAllPublishes();

            try (RunningScale scale = RunningScale.start(SETUP, settings)) {
                assertThat(scale.scale("keg-1").problems().now()).as("keg-1's problem after the restart")
                        .hasEntrySatisfying("refused", reason -> assertThat(reason)
                                .contains("on " + KEG_1 + " (refused before the last start)")
                                .contains("resend-refused"));
                assertThat(scale.scale("keg-2").problems().now()).doesNotContainKey("refused");

                await().atMost(WAIT).until(() -> scale.broker().isOnline());
                assertThat(scale.command("keg-1", "{\"command\":\"resend-refused\"}").get("ok").asBoolean())
                        .isTrue();
                assertThat(scale.scale("keg-1").problems().now()).as("over once resent").doesNotContainKey("refused");
            }
        } finally {
            SETUP.broker.allowAllPublishes();
        }
    }

    @Test
    void readingsRefusedAsNotAuthorizedThenDisconnectedAllArriveAfterResendRefused() throws Exception {
        // what HiveMQ (Cloud too) does for a topic the user's permissions leave out: PUBACK 0x87, then DISCONNECT
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, EVERY_READING)) {
            SETUP.broker.refusePublishes(SCALE_CLIENT_ID, ScaleBrokerSetup.WEIGHT_TOPIC,
                    AckReasonCode.NOT_AUTHORIZED);
            RefusedReadings refused = scale.bean(RefusedReadings.class);
            await().atMost(WAIT).until(() -> refused.getWaiting() >= 5);
            assertThat(PublishedWeights.counted(scale.bean(MeterRegistry.class)))
                    .as("weights counted as published while refused").isZero();

            SETUP.broker.allowAllPublishes();
            long firstAllowed = ReadingSeqs.seq(subscriber.awaitOne(WAIT));
            assertThat(scale.command(ScaleBrokerSetup.DEVICE_ID, "{\"command\":\"resend-refused\"}").get("ok")
                    .asBoolean()).isTrue();
            TreeSet<Long> arrived = new TreeSet<>(List.of(firstAllowed));
            ReadingSeqs.collectEvery(subscriber, arrived, firstAllowed, WAIT);
        } finally {
            SETUP.broker.allowAllPublishes();
        }
    }

    @Test
    void readingsRefusedForAReasonThatPassesAreKeptAndAllArriveInOrderOnceAllowed(CapturedOutput output)
            throws Exception {
        // a broker that stays connected and only says no in the PUBACK (quota exceeded), for a few seconds
        String reason = "quota for this client is exceeded on " + ScaleBrokerSetup.WEIGHT_TOPIC;
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, EVERY_READING)) {
            SETUP.broker.refusePublishesStayingConnected(SCALE_CLIENT_ID, ScaleBrokerSetup.WEIGHT_TOPIC,
                    AckReasonCode.QUOTA_EXCEEDED);
            Outbox outbox = scale.bean(Outbox.class);
            await().atMost(WAIT).until(() -> outbox.getWaiting() >= 10);
            assertThat(outbox.getSent()).isZero();
            Health health = scale.bean(BrokerHealth.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("reason")).asString().contains(reason);
            assertThat(output.getAll().split(Pattern.quote(reason), -1).length - 1).as("times the refusal was logged")
                    .isEqualTo(1);
            assertThat(scale.bean(RefusedReadings.class).getWaiting()).as("not set aside while it may pass").isZero();

            SETUP.broker.allowAllPublishes();
            long lastKept = outbox.getKept();
            await().atMost(WAIT).until(() -> outbox.getWaiting() == 0);
            List<Long> arrived = new ArrayList<>();
            ReadingSeqs.collectUntil(subscriber, arrived, lastKept + 3, Duration.ofSeconds(30));
            assertThat(arrived.get(0)).as("the first reading taken").isEqualTo(1);
            DeliveryAssertions.assertNothingLostInOrder(arrived, 0);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> scale.bean(BrokerHealth.class).health().getStatus() == Status.UP);
        } finally {
            SETUP.broker.allowAllPublishes();
        }
    }

    @Test
    void aRefusalThatDoesNotPassSetsTheReadingAsideAfterItsTries() throws Exception {
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, EVERY_READING)) {
            subscriber.await(1, WAIT);
            SETUP.broker.refusePublishesStayingConnected(SCALE_CLIENT_ID, ScaleBrokerSetup.WEIGHT_TOPIC,
                    AckReasonCode.QUOTA_EXCEEDED);
            RefusedReadings refused = scale.bean(RefusedReadings.class);
            // the oldest is tried 6 times, 1 + 2 + 4 + 8 + 16 s apart, then set aside; the next one likewise
            await().atMost(Duration.ofSeconds(90)).until(() -> refused.getWaiting() >= 1);
            assertThat(refused.getByReason()).containsKey("0x97 quota exceeded");
            assertThat(scale.bean(Outbox.class).getWaiting()).as("the readings behind it still wait their turn")
                    .isPositive();
        } finally {
            SETUP.broker.allowAllPublishes();
        }
    }

    private static Map<String, String> twoKegs() {
        return Map.of("scale.scales[0].device-id", "keg-1", "scale.scales[1].device-id", "keg-2",
                "scale.scales[1].hx711.data-pin", "17", "scale.scales[1].hx711.clock-pin", "27",
                "scale.sample-interval", "200ms", "scale.publish.min-change-kg", "0", "scale.mqtt.client-id",
                "refusing-kegs", "spring.security.user.password", PASSWORD);
    }

    private static String statusPage(RunningScale scale, String deviceId) throws Exception {
        HttpRequest request = HttpRequest
                .newBuilder(URI.create("http://localhost:"
                        + scale.bean(Environment.class).getProperty("local.server.port") + "/api/status?scale="
                        + deviceId))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build();
        return HttpClient.newHttpClient().send(request, BodyHandlers.ofString()).body();
    }

}
