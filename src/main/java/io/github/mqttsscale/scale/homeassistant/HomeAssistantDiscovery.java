package io.github.mqttsscale.scale.homeassistant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.paho.mqttv5.common.MqttMessage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.mqtt.Topics;
import io.github.mqttsscale.scale.weighing.PublishProperties.PayloadFormat;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;
import io.github.mqttsscale.scale.weighing.TemperatureOptions;

/**
 * Home Assistant MQTT discovery: each scale is a device whose entities have retained configs on
 * {@code <prefix>/<component>/<device-id>/<object>/config}, published after every connect (a broker that lost its
 * retained messages gets them back): the weight, whether it is stable, a tare button, the temperature (with a
 * temperature source), the weight events, and as diagnostics the zero shift, the raw counts, the rejected samples and a
 * problem sensor. An entity that cannot work with the settings (the plain payload has no stable mark, no temperature,
 * no raw counts; no temperature without a source; no tare button when scale.commands.allowed leaves tare out) gets an
 * empty retained config instead, which removes it from Home Assistant if an earlier start had published it.
 *
 * <p>The entities are available while the connection's status topic (its last will) and the scale's sensor status
 * ({@code scale/<device-id>/sensor}) both say online; those of the diagnostics topic (problem, rejected samples) only
 * need the connection: the scale keeps reporting them when its load cell gives no readings, which is when they matter.
 */
public class HomeAssistantDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ON_WHEN = "{{ 'ON' if value_json.%s else 'OFF' }}";

    /** One entity of a scale's device: its config, or null when it is to be removed. */
    record Entity(String component, String object, Map<String, Object> config) {
    }

    /** The retained configs by topic; an empty one removes the entity. */
    private final Map<String, byte[]> configByTopic = new LinkedHashMap<>();

    /**
     * @param scales           the scales, each a device of its own
     * @param connectionStatus the topic of the connection's status and last will (all scales share the one broker
     *                         connection)
     * @param prefix           Home Assistant's discovery prefix
     * @param format           the weights' payload format
     * @param tareOverMqtt     whether the scales take the command tare over MQTT (scale.commands.allowed)
     * @param softwareVersion  this program's version
     */
    public HomeAssistantDiscovery(Scales scales, String connectionStatus, String prefix, PayloadFormat format,
            boolean tareOverMqtt, String softwareVersion) {
        for (Scale scale : scales.all()) {
            boolean temperature = scale.settings().temperature().source() != TemperatureOptions.Source.NONE;
            for (Entity entity : entities(scale.deviceId(), scale.weightTopic(), format, temperature, tareOverMqtt,
                    connectionStatus, softwareVersion)) {
                try {
                    configByTopic.put(
                            prefix + "/" + entity.component() + "/" + scale.deviceId() + "/" + entity.object()
                                    + "/config",
                            entity.config() == null ? new byte[0] : JSON.writeValueAsBytes(entity.config()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /**
     * A scale's entities, those to remove included.
     *
     * @param temperature  whether the scale has a temperature source (scale.temperature.source not none)
     * @param tareOverMqtt whether the command tare is allowed over MQTT
     */
    static List<Entity> entities(String deviceId, String weightTopic, PayloadFormat format, boolean temperature,
            boolean tareOverMqtt, String connectionStatus, String softwareVersion) {
        Topics topics = new Topics(deviceId);
        boolean json = format == PayloadFormat.JSON;
        Map<String, Object> device = device(deviceId, softwareVersion);
        // available while connected (the last will says when not) and while its load cell gives readings
        List<String> scaleAvailability = List.of(connectionStatus, topics.sensor());
        List<String> connected = List.of(connectionStatus);
        List<Entity> entities = new ArrayList<>();

        Map<String, Object> weight = entity(deviceId, "weight", "Weight", device, scaleAvailability);
        weight.put("device_class", "weight");
        weight.put("unit_of_measurement", "kg");
        weight.put("state_class", "measurement");
        weight.put("state_topic", weightTopic);
        // the JSON payload carries the weight in a field; the original's plain payload is the number itself
        weight.put("value_template", json ? "{{ value_json.weight }}" : "{{ value }}");
        if (json) {
            // the rest of the payload as the sensor's attributes: stable, seq, raw, the reading's time
            weight.put("json_attributes_topic", weightTopic);
        }
        entities.add(new Entity("sensor", "weight", weight));

        Map<String, Object> stable = entity(deviceId, "stable", "Stable", device, scaleAvailability);
        stable.put("state_topic", weightTopic);
        stable.put("value_template", ON_WHEN.formatted("stable"));
        stable.put("payload_on", "ON");
        stable.put("payload_off", "OFF");
        entities.add(new Entity("binary_sensor", "stable", json ? stable : null));

        Map<String, Object> tare = entity(deviceId, "tare", "Tare", device, scaleAvailability);
        tare.put("command_topic", topics.command());
        tare.put("payload_press", "{\"command\":\"tare\"}");
        tare.put("qos", 1);
        entities.add(new Entity("button", "tare", tareOverMqtt ? tare : null));

        Map<String, Object> temperatureSensor = entity(deviceId, "temperature", "Temperature", device,
                scaleAvailability);
        temperatureSensor.put("device_class", "temperature");
        temperatureSensor.put("unit_of_measurement", "°C");
        temperatureSensor.put("state_class", "measurement");
        temperatureSensor.put("state_topic", weightTopic);
        // left out of the reading while the sensor fails: "None" is Home Assistant's unknown
        temperatureSensor.put("value_template",
                "{{ value_json.temperatureC if value_json.temperatureC is defined else None }}");
        entities.add(new Entity("sensor", "temperature", json && temperature ? temperatureSensor : null));

        Map<String, Object> event = entity(deviceId, "weight-event", "Weight event", device, scaleAvailability);
        event.put("state_topic", topics.event());
        event.put("event_types", List.of("added", "removed"));
        // Home Assistant's event wants event_type; the rest become the event's attributes
        event.put("value_template", "{{ {'event_type': value_json.type, 'deltaKg': value_json.deltaKg, "
                + "'beforeKg': value_json.beforeKg, 'afterKg': value_json.afterKg, "
                + "'timestamp': value_json.timestamp, 'seq': value_json.seq} | tojson }}");
        entities.add(new Entity("event", "weight-event", event));

        Map<String, Object> zeroShift = entity(deviceId, "zero-shift", "Zero shift", device, scaleAvailability);
        zeroShift.put("entity_category", "diagnostic");
        zeroShift.put("device_class", "weight");
        zeroShift.put("unit_of_measurement", "kg");
        zeroShift.put("state_class", "measurement");
        // with every reading in JSON; the plain payload has none, the diagnostics every minute do
        zeroShift.put("state_topic", json ? weightTopic : topics.diagnostics());
        zeroShift.put("value_template", "{{ value_json.zeroShiftKg }}");
        entities.add(new Entity("sensor", "zero-shift", zeroShift));

        Map<String, Object> raw = entity(deviceId, "raw", "Raw counts", device, scaleAvailability);
        raw.put("entity_category", "diagnostic");
        raw.put("enabled_by_default", false);
        raw.put("state_class", "measurement");
        raw.put("state_topic", weightTopic);
        raw.put("value_template", "{{ value_json.raw }}");
        entities.add(new Entity("sensor", "raw", json ? raw : null));

        Map<String, Object> rejected = entity(deviceId, "rejected-samples", "Rejected samples", device, connected);
        rejected.put("entity_category", "diagnostic");
        rejected.put("unit_of_measurement", "samples/min");
        rejected.put("state_class", "measurement");
        rejected.put("state_topic", topics.diagnostics());
        // null until a minute of readings was counted: "None", Home Assistant's unknown
        rejected.put("value_template", "{{ value_json.rejectedSamplesPerMinute }}");
        entities.add(new Entity("sensor", "rejected-samples", rejected));

        Map<String, Object> problem = entity(deviceId, "problem", "Problem", device, connected);
        problem.put("entity_category", "diagnostic");
        problem.put("device_class", "problem");
        problem.put("state_topic", topics.diagnostics());
        problem.put("value_template", ON_WHEN.formatted("problem"));
        problem.put("payload_on", "ON");
        problem.put("payload_off", "OFF");
        // each problem, with what to check, as an attribute
        problem.put("json_attributes_topic", topics.diagnostics());
        problem.put("json_attributes_template", "{{ value_json.problems | tojson }}");
        entities.add(new Entity("binary_sensor", "problem", problem));
        return entities;
    }

    private static Map<String, Object> device(String deviceId, String softwareVersion) {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of("mqtts-scale-" + deviceId));
        device.put("name", "Scale " + deviceId);
        device.put("model", "HX711 load cell on a Raspberry Pi");
        device.put("manufacturer", "mqtts-scale");
        device.put("sw_version", softwareVersion);
        return device;
    }

    /** What every entity's config has: name, unique id, availability and device. */
    private static Map<String, Object> entity(String deviceId, String object, String name, Map<String, Object> device,
            List<String> availabilityTopics) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("unique_id", "mqtts-scale-" + deviceId + "-" + object);
        config.put("availability", availabilityTopics.stream()
                .map(topic -> Map.of("topic", topic, "payload_available", "online", "payload_not_available", "offline"))
                .toList());
        config.put("availability_mode", "all");
        config.put("device", device);
        return config;
    }

    /** Publishes the configs, and the empty ones that remove entities, after every connect. */
    public void register(BrokerConnection broker) {
        broker.whenConnected(client -> {
            for (Map.Entry<String, byte[]> config : configByTopic.entrySet()) {
                MqttMessage message = new MqttMessage(config.getValue());
                message.setQos(1);
                message.setRetained(true);
                client.publish(config.getKey(), message);
            }
        });
    }
}
