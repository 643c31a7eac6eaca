package io.github.mqttsscale.scale.homeassistant;

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

/**
 * Home Assistant MQTT discovery: for each scale a device with a retained weight sensor config on
 * {@code <prefix>/sensor/<device-id>/weight/config}, published after every connect (a broker that lost its
 * retained messages gets it back), available while the connection's status topic (its last will) and the scale's
 * sensor status ({@code scale/<device-id>/sensor}) both say online.
 */
public class HomeAssistantDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, byte[]> configByTopic = new LinkedHashMap<>();

    /**
     * @param scales           the scales, each a device of its own
     * @param connectionStatus the topic of the connection's status and last will (all scales share the one broker
     *                         connection)
     * @param prefix           Home Assistant's discovery prefix
     * @param format           the weights' payload format
     * @param softwareVersion  this program's version
     */
    public HomeAssistantDiscovery(Scales scales, String connectionStatus, String prefix, PayloadFormat format,
            String softwareVersion) {
        for (Scale weighed : scales.all()) {
            try {
                configByTopic.put(prefix + "/sensor/" + weighed.deviceId() + "/weight/config",
                        JSON.writeValueAsBytes(config(weighed.deviceId(), weighed.weightTopic(), format,
                                List.of(connectionStatus, new Topics(weighed.deviceId()).sensor()),
                                softwareVersion)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Map<String, Object> config(String deviceId, String weightTopic, PayloadFormat format,
            List<String> availabilityTopics, String softwareVersion) {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of("mqtts-scale-" + deviceId));
        device.put("name", "Scale " + deviceId);
        device.put("model", "HX711 load cell on a Raspberry Pi");
        device.put("manufacturer", "mqtts-scale");
        device.put("sw_version", softwareVersion);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "Weight");
        config.put("unique_id", "mqtts-scale-" + deviceId + "-weight");
        config.put("device_class", "weight");
        config.put("unit_of_measurement", "kg");
        config.put("state_class", "measurement");
        config.put("state_topic", weightTopic);
        // the JSON payload carries the weight in a field; the original's plain payload is the number itself
        config.put("value_template", format == PayloadFormat.JSON ? "{{ value_json.weight }}" : "{{ value }}");
        if (format == PayloadFormat.JSON) {
            // the rest of the payload as the sensor's attributes: stable, seq, raw, the reading's time
            config.put("json_attributes_topic", weightTopic);
        }
        // available while connected (the last will says when not) and while its load cell gives readings
        config.put("availability", availabilityTopics.stream()
                .map(topic -> Map.of("topic", topic, "payload_available", "online", "payload_not_available", "offline"))
                .toList());
        config.put("availability_mode", "all");
        config.put("device", device);
        return config;
    }

    /** Publishes the config after every connect. */
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
