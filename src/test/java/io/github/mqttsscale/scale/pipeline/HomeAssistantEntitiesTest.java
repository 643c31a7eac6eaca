package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber.Received;

/**
 * Home Assistant's view of a scale, as a real subscriber of the discovery prefix receives it: one device with the
 * weight, stable, a tare button, the temperature, the weight events and the diagnostics (zero shift, raw counts,
 * rejected samples, problem); each template reads a field the published payload's schema has; with the plain payload
 * (or without tare over MQTT) only the entities that can work, and an entity dropped since the last start removed from
 * Home Assistant.
 */
class HomeAssistantEntitiesTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("home-assistant");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> ENTITIES = List.of("sensor/weight", "binary_sensor/stable", "button/tare",
            "sensor/temperature", "event/weight-event", "sensor/zero-shift", "sensor/raw", "sensor/rejected-samples",
            "binary_sensor/problem");
    private static final Pattern FIELD = Pattern.compile("value_json\\.([A-Za-z]+)");

    @Test
    void withTheJsonPayloadAndATemperatureSourceEveryEntityIsThereAndWorks() throws Exception {
        String deviceId = "ha-json";
        try (MqttTestSubscriber discovery = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                "homeassistant/+/" + deviceId + "/+/config");
                MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        "scale/" + deviceId + "/weight");
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.device-id", deviceId,
                        "scale.temperature.source", "simulated", "scale.temperature.read-interval", "1s",
                        // every reading published: one carries the first temperature soon
                        "scale.publish.min-change-kg", "0"))) {
            Map<String, JsonNode> configs = configsOf(discovery, deviceId);
            assertThat(configs).as("every entity has a config").doesNotContainValue(null);

            String connection = "scale/" + deviceId + "/status";
            String sensor = "scale/" + deviceId + "/sensor";
            for (Map.Entry<String, JsonNode> entity : configs.entrySet()) {
                JsonNode config = entity.getValue();
                String object = entity.getKey().substring(entity.getKey().indexOf('/') + 1);
                assertThat(config.get("unique_id").asText()).isEqualTo("mqtts-scale-" + deviceId + "-" + object);
                assertThat(config.get("device").get("identifiers").get(0).asText())
                        .isEqualTo("mqtts-scale-" + deviceId);
                assertThat(config.get("availability_mode").asText()).isEqualTo("all");
                boolean ofDiagnostics = config.path("state_topic").asText().endsWith("/diagnostics");
                assertThat(config.get("availability").findValuesAsText("topic")).as(entity.getKey())
                        .containsExactlyElementsOf(ofDiagnostics ? List.of(connection) : List.of(connection, sensor));
                assertTemplatesReadFieldsOfTheirTopicsSchema(entity.getKey(), config);
            }

            JsonNode stable = configs.get("binary_sensor/stable");
            assertThat(stable.get("state_topic").asText()).isEqualTo("scale/" + deviceId + "/weight");
            assertThat(stable.get("value_template").asText()).isEqualTo("{{ 'ON' if value_json.stable else 'OFF' }}");
            JsonNode temperature = configs.get("sensor/temperature");
            assertThat(temperature.get("device_class").asText()).isEqualTo("temperature");
            assertThat(temperature.get("unit_of_measurement").asText()).isEqualTo("°C");
            await("a weight that carries the temperature the sensor's template reads").atMost(WAIT)
                    .until(() -> JSON.readTree(weights.awaitOne(WAIT).payload()).has("temperatureC"));
            JsonNode event = configs.get("event/weight-event");
            assertThat(event.get("state_topic").asText()).isEqualTo("scale/" + deviceId + "/event");
            assertThat(event.get("event_types").toString()).isEqualTo("[\"added\",\"removed\"]");
            assertThat(event.get("value_template").asText()).contains("'event_type': value_json.type")
                    .endsWith("| tojson }}");
            for (String diagnostic : List.of("sensor/zero-shift", "sensor/raw", "sensor/rejected-samples",
                    "binary_sensor/problem")) {
                assertThat(configs.get(diagnostic).get("entity_category").asText()).as(diagnostic)
                        .isEqualTo("diagnostic");
            }
            assertThat(configs.get("sensor/raw").get("enabled_by_default").asBoolean()).isFalse();
            assertThat(configs.get("sensor/zero-shift").get("state_topic").asText()).endsWith("/weight");
            assertThat(configs.get("binary_sensor/problem").get("device_class").asText()).isEqualTo("problem");

            // pressed in Home Assistant: what the button config says is published where it says
            JsonNode tare = configs.get("button/tare");
            try (MqttTestSubscriber results = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                    tare.get("command_topic").asText() + "/result")) {
                scale.send(tare.get("command_topic").asText(), tare.get("payload_press").asText());
                JsonNode result = JSON.readTree(results.awaitOne(WAIT).payload());
                assertThat(result.get("command").asText()).isEqualTo("tare");
                assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
            }
        }
    }

    @Test
    void withThePlainPayloadOnlyTheEntitiesThatCanWorkAndThoseDroppedAreRemoved() throws Exception {
        String deviceId = "ha-plain";
        String filter = "homeassistant/+/" + deviceId + "/+/config";
        try (RunningScale first = RunningScale.start(SETUP, Map.of("scale.device-id", deviceId,
                "scale.temperature.source", "simulated"));
                MqttTestSubscriber discovery = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, filter)) {
            assertThat(configsOf(discovery, deviceId)).doesNotContainValue(null);
        }

        try (MqttTestSubscriber discovery = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, filter)) {
            assertThat(configsOf(discovery, deviceId)).as("the first start's, retained").doesNotContainValue(null);
            try (RunningScale plain = RunningScale.start(SETUP, Map.of("scale.device-id", deviceId,
                    "scale.publish.format", "plain", "scale.commands.allowed", "publish"))) {
                Map<String, JsonNode> configs = configsOf(discovery, deviceId);
                assertThat(configs.keySet().stream().filter(entity -> configs.get(entity) == null))
                        .as("no stable mark, temperature or raw counts in a plain payload; no temperature source; "
                                + "no tare over MQTT")
                        .containsExactlyInAnyOrder("binary_sensor/stable", "sensor/temperature", "sensor/raw",
                                "button/tare");
                assertThat(configs.get("sensor/weight").get("value_template").asText()).isEqualTo("{{ value }}");
                assertThat(configs.get("sensor/zero-shift").get("state_topic").asText())
                        .as("the plain weight has none; the diagnostics have it").endsWith("/diagnostics");
                assertTemplatesReadFieldsOfTheirTopicsSchema("sensor/zero-shift", configs.get("sensor/zero-shift"));

                try (MqttTestSubscriber later = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, filter)) {
                    Set<String> retained = new HashSet<>();
                    for (Received config : later.await(5, WAIT)) {
                        retained.add(config.topic());
                    }
                    later.assertNothingWithin(Duration.ofSeconds(1));
                    assertThat(retained).as("what Home Assistant finds now: the removed ones are gone")
                            .containsExactlyInAnyOrder(
                                    ENTITIES.stream().filter(entity -> configs.get(entity) != null)
                                            .map(entity -> topic(entity, deviceId)).toArray(String[]::new));
                }

                // the event entity works with the plain payload: the events are JSON whatever the weight's format
                try (MqttTestSubscriber events = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        "scale/" + deviceId + "/event")) {
                    await().atMost(WAIT).until(() -> plain.scale().stableWeight().isStableNow());
                    plain.scale().simulator().orElseThrow().setLoadKg(3.0);
                    JsonNode added = JSON.readTree(events.awaitOne(WAIT).payload());
                    assertThat(added.get("type").asText()).isEqualTo("added");
                }
            }
        }
    }

    /** The next config (or empty config) of each entity of the scale, by "component/object"; null for an empty one. */
    private static Map<String, JsonNode> configsOf(MqttTestSubscriber discovery, String deviceId) throws IOException {
        Map<String, JsonNode> configs = new LinkedHashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (configs.size() < ENTITIES.size() && System.nanoTime() < deadline) {
            Received received = discovery.awaitOne(WAIT);
            String entity = ENTITIES.stream().filter(one -> topic(one, deviceId).equals(received.topic())).findFirst()
                    .orElseThrow(() -> new AssertionError("a config of no expected entity: " + received));
            assertThat(configs).as("one config per entity and connect").doesNotContainKey(entity);
            configs.put(entity, received.payload().length == 0 ? null : JSON.readTree(received.payload()));
        }
        assertThat(configs.keySet()).containsExactlyInAnyOrderElementsOf(ENTITIES);
        return configs;
    }

    private static String topic(String entity, String deviceId) {
        String[] componentAndObject = entity.split("/");
        return "homeassistant/" + componentAndObject[0] + "/" + deviceId + "/" + componentAndObject[1] + "/config";
    }

    /** Each value_json.field a template reads is a field of the payloads on the entity's state topic. */
    private static void assertTemplatesReadFieldsOfTheirTopicsSchema(String entity, JsonNode config)
            throws IOException {
        String stateTopic = config.path("state_topic").asText();
        if (stateTopic.isEmpty()) {
            return; // the button
        }
        String schema = stateTopic.endsWith("/event")
                ? "event"
                : stateTopic.endsWith("/diagnostics") ? "diagnostics" : "weight";
        JsonNode properties;
        try (InputStream in = HomeAssistantEntitiesTest.class
                .getResourceAsStream("/schema/" + schema + ".schema.json")) {
            properties = JSON.readTree(in).get("properties");
        }
        List<String> fields = new ArrayList<>();
        for (String template : List.of("value_template", "json_attributes_template")) {
            Matcher field = FIELD.matcher(config.path(template).asText());
            while (field.find()) {
                fields.add(field.group(1));
            }
        }
        if (config.get("value_template").asText().equals("{{ value }}")) {
            return; // the plain weight
        }
        assertThat(fields).as(entity + " reads fields of " + schema + ".schema.json").isNotEmpty()
                .allMatch(properties::has, "a property of " + schema + ".schema.json");
    }
}
