package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
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
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.monitoring.ScaleActivity;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.testsupport.DeliveryAssertions;
import io.github.mqttsscale.scale.testsupport.FlakyLink;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber.Received;

/**
 * Weight events on {@code scale/<device-id>/event}, from the simulated load cell to a subscriber of the real broker
 * over TLS: one event per settling at a new weight, none for a change under scale.events.min-change-kg, the events'
 * own seq across a clean restart, kept in the outbox with the weights while the broker is away, and each scale's on its
 * own topic.
 */
class WeightEventPublishingTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("weight-events");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EVENT_TOPIC = "scale/" + ScaleBrokerSetup.DEVICE_ID + "/event";
    private static final String PASSWORD = "weight-events-test";
    private static FlakyLink link;

    @BeforeAll
    static void link() {
        link = new FlakyLink(SETUP.broker.port());
    }

    @AfterAll
    static void closeLink() {
        link.close();
    }

    @Test
    void aLoadPutOnAndTakenOffIsOneAddedAndOneRemovedEventAndASmallChangeNone() throws Exception {
        Map<String, String> settings = Map.of("scale.data-dir", SETUP.dir.resolve("events").toString(),
                // every reading published: the test sees the weight settle where no event is to come
                "scale.publish.min-change-kg", "0", "spring.security.user.password", PASSWORD);
        try (MqttTestSubscriber events = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, EVENT_TOPIC);
                MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, settings)) {
            awaitSettled(weights, "2.500");

            command(scale, "{\"command\":\"simulate-load\",\"kg\":3.2}");
            JsonNode added = JSON.readTree(events.awaitOne(WAIT).payload());
            assertThat(added.get("deviceId").asText()).isEqualTo(ScaleBrokerSetup.DEVICE_ID);
            assertThat(added.get("type").asText()).isEqualTo("added");
            assertThat(added.get("deltaKg").decimalValue()).isEqualByComparingTo("0.700");
            assertThat(added.get("beforeKg").decimalValue()).isEqualByComparingTo("2.500");
            assertThat(added.get("afterKg").decimalValue()).isEqualByComparingTo("3.200");
            assertThat(added.get("seq").asLong()).isEqualTo(1);
            assertThat(added.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

            // 5 g, under the 10 divisions of 1 g: the weight settles there, no event
            command(scale, "{\"command\":\"simulate-load\",\"kg\":3.205}");
            awaitSettled(weights, "3.205");
            // the event of a reading goes out right after its weight: a second is plenty
            events.assertNothingWithin(Duration.ofSeconds(1));

            command(scale, "{\"command\":\"simulate-load\",\"kg\":2.5}");
            JsonNode removed = JSON.readTree(events.awaitOne(WAIT).payload());
            assertThat(removed.get("type").asText()).isEqualTo("removed");
            assertThat(removed.get("deltaKg").decimalValue()).isEqualByComparingTo("-0.705");
            assertThat(removed.get("beforeKg").decimalValue()).isEqualByComparingTo("3.205");
            assertThat(removed.get("seq").asLong()).isEqualTo(2);

            JsonNode status = status(scale).get("lastEvent");
            assertThat(status.get("type").asText()).isEqualTo("removed");
            assertThat(status.get("deltaText").asText()).as("for the status page's line").isEqualTo("0.705");
        }

        try (MqttTestSubscriber events = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, EVENT_TOPIC);
                MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale restarted = RunningScale.start(SETUP, settings)) {
            awaitSettled(weights, "2.500");
            restarted.scale().simulator().orElseThrow().setLoadKg(3.0);
            JsonNode afterRestart = JSON.readTree(events.awaitOne(WAIT).payload());
            assertThat(afterRestart.get("seq").asLong()).as("the clean stop saved the events' next seq").isEqualTo(3);
        }
    }

    @Test
    void eventsTakenWhileTheBrokerIsAwayArriveAfterItInOrderWithTheWeights() throws Exception {
        link.restore();
        String deviceId = "outage-scale";
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                "scale/" + deviceId + "/+");
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.device-id", deviceId,
                        "scale.mqtt.url", link.url(), "scale.sample-interval", "200ms",
                        "scale.publish.min-change-kg", "0", "scale.mqtt.connect-timeout", "2s",
                        "scale.mqtt.reconnect-max-delay", "1s"))) {
            List<JsonNode> arrived = new ArrayList<>();
            collectUntil(subscriber, arrived, deviceId, payload -> payload.get("stable").asBoolean());

            link.cut();
            Outbox outbox = scale.bean(Outbox.class);
            await().atMost(WAIT).until(() -> !scale.broker().isConnected() && outbox.getWaiting() > 0);
            scale.scale().simulator().orElseThrow().setLoadKg(3.2);
            ScaleActivity activity = scale.bean(ScaleActivity.class);
            await("the event, kept").atMost(WAIT).until(() -> activity.lastEvent(scale.scale()).isPresent());
            scale.scale().simulator().orElseThrow().setLoadKg(2.5);
            await("the second event, kept").atMost(WAIT).until(
                    () -> activity.lastEvent(scale.scale()).orElseThrow().deltaKg().signum() < 0);
            long waiting = outbox.getWaiting();
            link.restore();

            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.getWaiting() == 0);
            assertThat(waiting).as("weights and both events kept during the outage").isGreaterThan(2);
            collectUntil(subscriber, arrived, deviceId,
                    payload -> "removed".equals(payload.path("type").asText(null)));
            collectUntil(subscriber, arrived, deviceId, payload -> payload.has("weight")); // and a weight after it

            List<JsonNode> events = arrived.stream().filter(payload -> payload.has("type")).toList();
            assertThat(events).extracting(event -> event.get("type").asText()).containsExactly("added", "removed");
            assertThat(events).extracting(event -> event.get("seq").asLong()).containsExactly(1L, 2L);
            DeliveryAssertions.assertNothingLostInOrder(
                    arrived.stream().filter(payload -> payload.has("weight")).map(w -> w.get("seq").asLong()).toList(),
                    1);
            for (JsonNode event : events) {
                int at = arrived.indexOf(event);
                JsonNode before = arrived.get(at - 1);
                assertThat(before.get("timestamp").asText()).as("right after the weight of the reading that settled")
                        .isEqualTo(event.get("timestamp").asText());
                assertThat(before.get("weight").decimalValue()).isEqualByComparingTo(event.get("afterKg")
                        .decimalValue());
                assertThat(arrived.get(at + 1).get("timestamp").asText()).as("before the next reading's weight")
                        .isGreaterThan(event.get("timestamp").asText());
            }
        } finally {
            link.restore();
        }
    }

    @Test
    void eachOfTwoScalesHasItsOwnEventsOnItsOwnTopic() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("scale.scales[0].device-id", "keg-1");
        settings.put("scale.scales[1].device-id", "keg-2");
        settings.put("scale.scales[1].hx711.data-pin", "17");
        settings.put("scale.scales[1].hx711.clock-pin", "27");
        // keg-2 counts an event from 1 kg on
        settings.put("scale.scales[1].events.min-change-kg", "1");
        try (MqttTestSubscriber events = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, "scale/+/event");
                RunningScale scale = RunningScale.start(SETUP, settings)) {
            await("both scales settled").atMost(WAIT).until(() -> scale.scale("keg-1").stableWeight().isStableNow()
                    && scale.scale("keg-2").stableWeight().isStableNow());

            scale.scale("keg-2").simulator().orElseThrow().setLoadKg(2.0); // half a kilogram off: no event
            scale.scale("keg-1").simulator().orElseThrow().setLoadKg(3.0);
            Received keg1 = events.awaitOne(WAIT);
            assertThat(keg1.topic()).as(keg1.toString()).isEqualTo("scale/keg-1/event");
            assertThat(JSON.readTree(keg1.payload()).get("deviceId").asText()).isEqualTo("keg-1");
            ScaleActivity activity = scale.bean(ScaleActivity.class);
            await("keg-2 settled at 2 kg").atMost(WAIT)
                    .until(() -> scale.scale("keg-2").stableWeight().isStableNow() && activity
                            .latestWeight(scale.scale("keg-2")).orElseThrow().compareTo(new BigDecimal("2")) == 0);

            scale.scale("keg-2").simulator().orElseThrow().setLoadKg(4.0);
            Received keg2 = events.awaitOne(WAIT);
            assertThat(keg2.topic()).isEqualTo("scale/keg-2/event");
            JsonNode keg2Event = JSON.readTree(keg2.payload());
            assertThat(keg2Event.get("deviceId").asText()).isEqualTo("keg-2");
            assertThat(keg2Event.get("deltaKg").decimalValue()).as("from where it settled, under the 1 kg of keg-2")
                    .isEqualByComparingTo("2.000");
            assertThat(keg2Event.get("seq").asLong()).as("a count of its own").isEqualTo(1);
            assertThat(events.pending()).isEmpty();
        }
    }

    /** Waits for a stable weight of {@code kg} (the first stable reading sets where the weight stands). */
    private static void awaitSettled(MqttTestSubscriber weights, String kg) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode weight = JSON.readTree(weights.awaitOne(WAIT).payload());
            if (weight.get("stable").asBoolean() && weight.get("weight").decimalValue().compareTo(
                    new BigDecimal(kg)) == 0) {
                return;
            }
        }
        throw new AssertionError("no stable weight of " + kg + " kg within " + WAIT);
    }

    /** Adds the weights and events that arrive (not the retained states) until one passes {@code last}. */
    private static void collectUntil(MqttTestSubscriber subscriber, List<JsonNode> into, String deviceId,
            Predicate<JsonNode> last) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Received received = subscriber.awaitOne(Duration.ofSeconds(60));
            if (received.topic().endsWith("/weight") || received.topic().endsWith("/event")) {
                JsonNode payload = JSON.readTree(received.payload());
                into.add(payload);
                if (last.test(payload)) {
                    return;
                }
            }
        }
        throw new AssertionError("not arrived on scale/" + deviceId + "/+: " + into);
    }

    private static void command(RunningScale scale, String command) throws Exception {
        JsonNode result = scale.command(ScaleBrokerSetup.DEVICE_ID, command);
        assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
    }

    private static JsonNode status(RunningScale scale) throws Exception {
        String base = "http://localhost:" + scale.bean(Environment.class).getProperty("local.server.port");
        String login = "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return JSON.readTree(HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(base + "/api/status")).header("Authorization", login).build(),
                        BodyHandlers.ofString())
                .body());
    }
}
