package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber.Received;
import io.github.mqttsscale.scale.web.WeightHistories;
import io.github.mqttsscale.scale.web.WeightHistory;
import io.github.mqttsscale.scale.weighing.CalibrationFile;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * Commands over MQTT against the real broker and the simulated HX711: tare, calibrate, publish, bad commands,
 * across a broker restart; tare and calibration survive a new application on the same data dir; Home Assistant
 * discovery is retained and describes the published payload.
 */
@SpringBootTest(properties = {"scale.simulator.load-kg=1.5", "scale.publish.heartbeat=500ms"})
// a scale weighing every 50 ms, left running in the context cache, would load the timing-sensitive tests after it
@DirtiesContext
class ScaleCommandsTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("commands");
    static final String DISCOVERY_TOPIC = "homeassistant/sensor/" + ScaleBrokerSetup.DEVICE_ID + "/weight/config";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        SETUP.startAndRegister(registry);
    }

    @Autowired
    Scales scales;
    Hx711Simulator simulator;
    @Autowired
    BrokerConnection brokerConnection;

    private MqttTestSubscriber results;
    private MqttTestSubscriber weights;

    @BeforeEach
    void subscribe() {
        Scale scale = scales.all().get(0);
        simulator = scale.simulator().orElseThrow();
        results = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, ScaleBrokerSetup.RESULT_TOPIC);
        weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, ScaleBrokerSetup.WEIGHT_TOPIC);
    }

    @AfterEach
    void unsubscribe() {
        results.close();
        weights.close();
    }

    @Test
    void tareBringsTheWeightToZeroAndANewApplicationOnTheSameDataDirKeepsIt() throws Exception {
        assertThat(awaitWeight(null, null).signum()).as("weight before tare").isPositive();

        JsonNode result = command("{\"command\":\"tare\"}");
        assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
        assertThat(result.get("command").asText()).isEqualTo("tare");
        assertThat(result.get("reason").asText()).startsWith("tared");
        awaitWeight(BigDecimal.ZERO, new BigDecimal("0.001"));
        assertThat(SETUP.dir.resolve("data").resolve(CalibrationFile.FILE_NAME)).exists();

        // the same data dir in a second application (own device and client id, so both stay connected); its
        // simulator has the same 1.5 kg on it, and reads zero only if it loaded the tare
        try (RunningScale restarted = RunningScale.start(SETUP, Map.of(
                "scale.data-dir", SETUP.dir.resolve("data").toString(),
                "scale.device-id", "restarted-scale",
                "scale.simulator.load-kg", "1.5",
                "scale.home-assistant.discovery", "false",
                "spring.jmx.enabled", "false",
                "camel.main.jmx-enabled", "false"))) {
            WeightHistory history = restarted.bean(WeightHistories.class).history(restarted.scale());
            await().atMost(WAIT).untilAsserted(
                    () -> assertThat(history.latest()).as("a reading in the restarted application").isPresent());
            assertThat(history.latest().get().kg()).isEqualByComparingTo("0.000");
        }
    }

    @Test
    void calibratingWithAKnownWeightMakesOtherLoadsReadRight() throws Exception {
        // a load cell unlike the configured defaults: the first-run calibration reads it wrong
        simulator.setCountsPerKg(21_000);
        try {
            assertThat(command("{\"command\":\"simulate-load\",\"kg\":0}").get("ok").asBoolean()).isTrue();
            assertThat(command("{\"command\":\"tare\"}").get("ok").asBoolean()).isTrue();
            command("{\"command\":\"simulate-load\",\"kg\":2.0}");
            JsonNode calibrated = command("{\"command\":\"calibrate\",\"knownWeightKg\":2.0}");
            assertThat(calibrated.get("ok").asBoolean()).as(calibrated.toString()).isTrue();
            assertThat(calibrated.get("reason").asText()).contains("counts per kg");

            command("{\"command\":\"simulate-load\",\"kg\":5.0}");
            awaitWeight(new BigDecimal("5.00"), new BigDecimal("0.05"));
        } finally {
            simulator.setCountsPerKg(Hx711Simulator.DEFAULT_COUNTS_PER_KG);
            simulator.setLoadKg(1.5);
        }
    }

    @Test
    void badCommandsAreAnsweredWithAReasonAndStopNothing() throws Exception {
        assertRefused("tare, please", null, "not JSON");
        assertRefused("[1,2]", null, "not a command");
        assertRefused("{\"command\":\"fly\"}", "fly", "unknown command 'fly'");
        assertRefused("{\"command\":\"calibrate\"}", "calibrate", "knownWeightKg is missing");
        assertRefused("{\"command\":\"calibrate\",\"knownWeightKg\":0}", "calibrate", "above 0 kg");
        assertRefused("{\"command\":\"calibrate\",\"knownWeightKg\":-2}", "calibrate", "above 0 kg");
        // the load now is the tare: nothing was put on the scale
        command("{\"command\":\"tare\"}");
        assertRefused("{\"command\":\"calibrate\",\"knownWeightKg\":2}", "calibrate", "no load detected");
        // by default no "force" over MQTT: anyone who may publish on the command topic could calibrate nonsense
        assertRefused("{\"command\":\"calibrate\",\"knownWeightKg\":2,\"force\":true}", "calibrate",
                "calibrate with \"force\": true is not allowed over MQTT");

        JsonNode published = command("{\"command\":\"publish\"}");
        assertThat(published.get("ok").asBoolean()).isTrue();
        weights.clear();
        weights.awaitOne(Duration.ofSeconds(5));
    }

    @Test
    void commandsKeepWorkingAfterTheBrokerRestartsAndDiscoveryIsRetainedAgain() throws Exception {
        assertDiscoveryRetained();

        SETUP.broker.restart();
        results.awaitReady(WAIT);
        weights.awaitReady(WAIT);
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(brokerConnection.isOnline()).as("scale reconnected and subscribed").isTrue());

        JsonNode result = command("{\"command\":\"publish\"}");
        assertThat(result.get("ok").asBoolean()).isTrue();
        // the in-memory broker forgot every retained message: the scale published its config again
        assertDiscoveryRetained();
    }

    private void assertDiscoveryRetained() throws Exception {
        try (MqttTestSubscriber discovery = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, DISCOVERY_TOPIC)) {
            Received config = discovery.awaitOne(WAIT);
            assertThat(config.retained()).isTrue();
            JsonNode json = JSON.readTree(config.payload());
            assertThat(json.get("device_class").asText()).isEqualTo("weight");
            assertThat(json.get("unit_of_measurement").asText()).isEqualTo("kg");
            assertThat(json.get("state_class").asText()).isEqualTo("measurement");
            assertThat(json.get("state_topic").asText()).isEqualTo(ScaleBrokerSetup.WEIGHT_TOPIC);
            assertThat(json.get("availability_mode").asText()).as("connected and the sensor working").isEqualTo("all");
            assertThat(json.get("availability").findValuesAsText("topic"))
                    .containsExactly(ScaleBrokerSetup.STATUS_TOPIC, "scale/" + ScaleBrokerSetup.DEVICE_ID + "/sensor");
            assertThat(json.get("availability").findValuesAsText("payload_available")).containsOnly("online");
            assertThat(json.get("availability").findValuesAsText("payload_not_available")).containsOnly("offline");
            assertThat(json.get("unique_id").asText()).contains(ScaleBrokerSetup.DEVICE_ID);
            assertThat(json.get("device").get("identifiers").get(0).asText()).contains(ScaleBrokerSetup.DEVICE_ID);
            for (String field : new String[]{"name", "model", "manufacturer", "sw_version"}) {
                assertThat(json.get("device").get(field).asText()).as(field).isNotBlank();
            }
            // the value template finds the weight in a payload the scale really published
            String template = json.get("value_template").asText();
            assertThat(template).isEqualTo("{{ value_json.weight }}");
            JsonNode payload = JSON.readTree(weights.awaitOne(WAIT).payload());
            assertThat(payload.get("weight").isNumber()).as("value_json.weight in " + payload).isTrue();
        }
    }

    private void assertRefused(String payload, String command, String reason) throws Exception {
        JsonNode result = command(payload);
        assertThat(result.get("ok").asBoolean()).as(result.toString()).isFalse();
        assertThat(result.get("reason").asText()).contains(reason);
        if (command == null) {
            assertThat(result.get("command").isNull()).as(result.toString()).isTrue();
        } else {
            assertThat(result.get("command").asText()).isEqualTo(command);
        }
    }

    /** Sends a command as another client would and returns its result. */
    private JsonNode command(String payload) throws Exception {
        results.clear();
        MqttClient client = brokerConnection.client();
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish(ScaleBrokerSetup.COMMAND_TOPIC, message);
        return JSON.readTree(results.awaitOne(WAIT).payload());
    }

    /** Waits for a published weight within {@code tolerance} of {@code kg} (any weight when kg is null). */
    private BigDecimal awaitWeight(BigDecimal kg, BigDecimal tolerance) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        BigDecimal last = null;
        while (System.nanoTime() < deadline) {
            Received message;
            try {
                message = weights.awaitOne(Duration.ofSeconds(2));
            } catch (AssertionError nothingYet) {
                continue;
            }
            last = JSON.readTree(message.payload()).get("weight").decimalValue();
            if (kg == null || last.subtract(kg).abs().compareTo(tolerance) <= 0) {
                return last;
            }
        }
        throw new AssertionError("no weight of " + kg + " ± " + tolerance + " within " + WAIT + "; last " + last);
    }
}
