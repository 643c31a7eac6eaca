package io.github.mqttsscale.scale.homeassistant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.paho.mqttv5.common.MqttMessage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.mqtt.Topics;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.ScaleProperties.PayloadFormat;

/**
 * Home Assistant MQTT discovery: a retained weight sensor config on
 * {@code <prefix>/sensor/<device-id>/weight/config}, published after every connect (a broker that lost its
 * retained messages gets it back), with the scale's status topic as availability.
 */
public class HomeAssistantDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final byte[] config;

    public HomeAssistantDiscovery(ScaleProperties scale, String softwareVersion) {
        this.topic = scale.homeAssistant().prefix() + "/sensor/" + scale.deviceId() + "/weight/config";
        try {
            this.config = JSON.writeValueAsBytes(config(scale, softwareVersion));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> config(ScaleProperties scale, String softwareVersion) {
        String deviceId = scale.deviceId();
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
        config.put("state_topic", scale.publish().topic());
        // the JSON payload carries the weight in a field; the original's plain payload is the number itself
        config.put("value_template",
                scale.publish().format() == PayloadFormat.JSON ? "{{ value_json.weight }}" : "{{ value }}");
        if (scale.publish().format() == PayloadFormat.JSON) {
            // the rest of the payload as the sensor's attributes: stable, seq, raw, the reading's time
            config.put("json_attributes_topic", scale.publish().topic());
        }
        config.put("availability_topic", new Topics(deviceId).status());
        config.put("payload_available", "online");
        config.put("payload_not_available", "offline");
        config.put("device", device);
        return config;
    }

    /** Publishes the config after every connect. */
    public void register(BrokerConnection broker) {
        broker.whenConnected(client -> {
            MqttMessage message = new MqttMessage(config);
            message.setQos(1);
            message.setRetained(true);
            client.publish(topic, message);
        });
    }
}
