package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711Fault;
import io.github.mqttsscale.scale.monitoring.SensorHealth;
import io.github.mqttsscale.scale.operations.ScaleOperations;
import io.github.mqttsscale.scale.testsupport.HeadlessChromium;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.weighing.CalibrationValues;

/**
 * Two simulated scales in one process, listed in {@code scale.scales}, over one TLS connection to a real broker: each
 * publishes on its own topic with its own calibration and seq; a tare or a sensor fault on one leaves the other
 * untouched; a restart keeps each one's tare and seq.
 */
class MultiScaleTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("multi-scale");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "multi-scale-test";

    @Test
    void twoScalesWeighPublishAndKeepTheirStateEachOnItsOwn() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("scale.data-dir", SETUP.dir.resolve("two-scales").toString());
        settings.put("scale.scales[0].device-id", "keg-1");
        settings.put("scale.scales[0].simulator.load-kg", "10");
        settings.put("scale.scales[1].device-id", "keg-2");
        settings.put("scale.scales[1].hx711.data-pin", "17");
        settings.put("scale.scales[1].hx711.clock-pin", "27");
        settings.put("scale.scales[1].simulator.load-kg", "3");
        // keg-2's load cell gives half the counts per kg that the simulator makes: it reads twice the load
        settings.put("scale.scales[1].calibration.counts-per-kg", "6390");
        settings.put("spring.security.user.password", PASSWORD);
        long lastSeqKeg1;
        long lastSeqKeg2;
        int keg1Zero;
        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, "scale/+/weight");
                RunningScale scale = RunningScale.start(SETUP, settings)) {
            Map<String, JsonNode> first = latestByTopic(weights, 2);
            assertThat(first).containsOnlyKeys("scale/keg-1/weight", "scale/keg-2/weight");
            assertThat(first.get("scale/keg-1/weight").get("deviceId").asText()).isEqualTo("keg-1");
            assertThat(first.get("scale/keg-1/weight").get("weight").asDouble()).isCloseTo(10.0, within(0.005));
            assertThat(first.get("scale/keg-2/weight").get("deviceId").asText()).isEqualTo("keg-2");
            assertThat(first.get("scale/keg-2/weight").get("weight").asDouble()).as("its own calibration")
                    .isCloseTo(6.0, within(0.005));
            assertThat(first.get("scale/keg-1/weight").get("seq").asLong()).isEqualTo(1);
            assertThat(first.get("scale/keg-2/weight").get("seq").asLong()).as("a seq of its own").isEqualTo(1);
            assertThat(ManagementFactory.getPlatformMBeanServer()
                    .isRegistered(new ObjectName(ScaleOperations.OBJECT_NAME + ",scale=keg-2")))
                    .as("each scale's operations in Hawtio").isTrue();

            assertHawtioSeesEachScalesStepsCounted(scale);
            assertTheStatusPageShowsEachScale(scale);
            try (MqttTestSubscriber discovery = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                    "homeassistant/sensor/+/weight/config")) {
                Map<String, JsonNode> devices = latestByTopic(discovery, 2);
                JsonNode keg2Sensor = devices.get("homeassistant/sensor/keg-2/weight/config");
                assertThat(keg2Sensor).as("a Home Assistant device per scale: " + devices.keySet()).isNotNull();
                assertThat(keg2Sensor.get("state_topic").asText()).isEqualTo("scale/keg-2/weight");
                assertThat(keg2Sensor.get("device").get("name").asText()).isEqualTo("Scale keg-2");
                assertThat(keg2Sensor.get("availability").findValuesAsText("topic")).as("its own sensor status")
                        .contains("scale/keg-2/sensor");
                assertThat(devices).containsKey("homeassistant/sensor/keg-1/weight/config");
            }

            CalibrationValues keg2Before = scale.scale("keg-2").calibration().values();
            JsonNode tared = scale.command("keg-1", "{\"command\":\"tare\"}");
            assertThat(tared.get("ok").asBoolean()).as(tared.toString()).isTrue();
            JsonNode keg1Tared = awaitWeightOn(weights, "scale/keg-1/weight", 0.0);
            assertThat(keg1Tared.get("deviceId").asText()).isEqualTo("keg-1");
            assertThat(scale.scale("keg-2").calibration().values()).as("keg-2 untouched by keg-1's tare")
                    .isEqualTo(keg2Before);
            keg1Zero = scale.scale("keg-1").calibration().offset();

            try (MqttTestSubscriber sensors = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                    "scale/+/sensor")) {
                sensors.awaitLatest(Map.of("scale/keg-1/sensor", "online", "scale/keg-2/sensor", "online"), WAIT);
                scale.scale("keg-2").simulator().orElseThrow().setFault(Hx711Fault.UNPLUGGED);
                awaitHealthDownFor(scale, "keg-2");
                assertThat(sensors.awaitLatest(Map.of("scale/keg-2/sensor", "offline"), WAIT))
                        .as("Home Assistant shows keg-2 unavailable, keg-1 not")
                        .doesNotContainEntry("scale/keg-1/sensor", "offline");
            }
            scale.scale("keg-1").simulator().orElseThrow().setLoadKg(12);
            JsonNode keg1Moved = awaitWeightOn(weights, "scale/keg-1/weight", 2.0);
            assertThat(keg1Moved.get("weight").asDouble()).as("keg-1 weighs on while keg-2's sensor is unplugged")
                    .isCloseTo(2.0, within(0.005));
            Health health = scale.bean(SensorHealth.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("keg-1").toString()).doesNotContain("reason");
            assertThat(weights.pending()).as("nothing bogus from the unplugged keg-2")
                    .noneMatch(received -> received.topic().equals("scale/keg-2/weight"));
            lastSeqKeg1 = keg1Moved.get("seq").asLong();
            lastSeqKeg2 = first.get("scale/keg-2/weight").get("seq").asLong();

            try (MqttTestSubscriber keg2Sensor = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                    "scale/keg-2/sensor")) {
                scale.scale("keg-2").simulator().orElseThrow().setFault(Hx711Fault.NONE);
                keg2Sensor.awaitLatest(Map.of("scale/keg-2/sensor", "online"), WAIT);
            }
        }

        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, "scale/+/weight");
                RunningScale restarted = RunningScale.start(SETUP, settings)) {
            Map<String, JsonNode> again = latestByTopic(weights, 2);
            assertThat(restarted.scale("keg-1").calibration().offset()).as("keg-1's tare survives the restart")
                    .isEqualTo(keg1Zero);
            assertThat(again.get("scale/keg-1/weight").get("weight").asDouble()).as("the tared zero still holds")
                    .isCloseTo(0.0, within(0.005));
            assertThat(again.get("scale/keg-2/weight").get("weight").asDouble()).isCloseTo(6.0, within(0.005));
            assertThat(again.get("scale/keg-1/weight").get("seq").asLong()).isGreaterThan(lastSeqKeg1);
            assertThat(again.get("scale/keg-2/weight").get("seq").asLong()).isGreaterThan(lastSeqKeg2);
        }
    }

    /**
     * Hawtio draws a route from Camel's XML dump and puts on each step the count of the statistics with the same id:
     * each scale's route has its steps, under ids of its own, with their counts.
     */
    private static void assertHawtioSeesEachScalesStepsCounted(RunningScale scale) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName camel = server.queryNames(new ObjectName("org.apache.camel:context="
                + scale.bean(CamelContext.class).getManagementName() + ",type=context,*"), null).iterator().next();
        String routes = (String) server.invoke(camel, "dumpRoutesAsXml", new Object[0], new String[0]);
        String stats = (String) server.invoke(camel, "dumpRoutesStatsAsXml", new Object[]{false, true},
                new String[]{"boolean", "boolean"});
        for (String deviceId : new String[]{"keg-1", "keg-2"}) {
            assertThat(routes).contains("<route id=\"weigh-and-publish-" + deviceId + "\"",
                    "id=\"" + deviceId + "-counts-to-kilograms\"");
            assertThat(stats).containsPattern("<processorStat id=\"" + deviceId
                    + "-counts-to-kilograms\"[^>]*? exchangesCompleted=\"[1-9]");
        }
    }

    /**
     * The status page lists the scales and shows the one chosen, in a real browser; its data, for the scale chosen,
     * and its buttons, for that scale only.
     */
    private static void assertTheStatusPageShowsEachScale(RunningScale scale) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + scale.bean(Environment.class).getProperty("local.server.port");
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.logIn(base + "/", "admin", PASSWORD, WAIT);
            browser.await("[...document.querySelectorAll('#scales a')].map(a => a.textContent).join(',')",
                    value -> value.asText().equals("keg-1,keg-2"), WAIT);
            browser.await("document.getElementById('device').textContent", value -> value.asText().equals("keg-1"),
                    WAIT);
            browser.evaluate("[...document.querySelectorAll('#scales a')].find(a => a.textContent === 'keg-2')"
                    + ".click(); true");
            browser.await("document.getElementById('device').textContent + ' ' "
                    + "+ document.getElementById('weight').textContent",
                    value -> value.asText().equals("keg-2 6.000"), WAIT);
        }
        String login = "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        JsonNode keg2 = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/status?scale=keg-2"))
                .header("Authorization", login).build(), BodyHandlers.ofString()).body());
        assertThat(keg2.get("deviceId").asText()).isEqualTo("keg-2");
        assertThat(keg2.get("scales").toString()).isEqualTo("[\"keg-1\",\"keg-2\"]");
        assertThat(keg2.get("calibration").get("countsPerKg").asDouble()).isEqualTo(6390.0);
        HttpResponse<String> noSuchScale = http.send(HttpRequest.newBuilder(URI.create(base + "/api/tare?scale=keg-3"))
                .header("Authorization", login).POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        assertThat(noSuchScale.statusCode()).isEqualTo(404);
        assertThat(noSuchScale.body()).contains("no scale keg-3: the scales are keg-1, keg-2");
    }

    /** The first message on each of {@code topics} distinct topics. */
    private static Map<String, JsonNode> latestByTopic(MqttTestSubscriber weights, int topics) throws Exception {
        Map<String, JsonNode> byTopic = new HashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (byTopic.size() < topics && System.nanoTime() < deadline) {
            MqttTestSubscriber.Received received = weights.awaitOne(WAIT);
            byTopic.putIfAbsent(received.topic(), JSON.readTree(received.payload()));
        }
        return byTopic;
    }

    private static JsonNode awaitWeightOn(MqttTestSubscriber weights, String topic, double kg) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            MqttTestSubscriber.Received received = weights.awaitOne(WAIT);
            JsonNode payload = JSON.readTree(received.payload());
            if (received.topic().equals(topic) && Math.abs(payload.get("weight").asDouble() - kg) < 0.005) {
                return payload;
            }
        }
        throw new AssertionError("no weight of " + kg + " kg on " + topic + " within " + WAIT);
    }

    private static void awaitHealthDownFor(RunningScale scale, String deviceId) {
        await("health naming the fault of " + deviceId).atMost(WAIT).until(() -> {
            Object details = scale.bean(SensorHealth.class).health().getDetails().get(deviceId);
            return details != null && details.toString().contains("reason");
        });
    }
}
