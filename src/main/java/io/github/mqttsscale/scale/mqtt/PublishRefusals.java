package io.github.mqttsscale.scale.mqtt;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishes the broker refuses, by topic. A refusal is logged once when it starts (not for every reading
 * refused after it) and once when the broker takes that topic again; meanwhile health and the status page
 * show it.
 */
public class PublishRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(PublishRefusals.class);
    /** MQTT 5: reason codes from 0x80 on are failures. */
    private static final int FIRST_FAILURE = 0x80;

    private final Map<String, String> refusedByTopic = new ConcurrentHashMap<>();

    /**
     * Checks the broker's acknowledgement of a completed publish to {@code topic}.
     *
     * @throws PublishRefusedException saying why, when the broker refused it
     */
    void check(String topic, IMqttToken token) throws PublishRefusedException {
        int refusal = refusalCode(token.getReasonCodes());
        if (refusal < 0) {
            String was = refusedByTopic.remove(topic);
            if (was != null) {
                LOG.info("The broker takes publishes to {} again", topic);
            }
            return;
        }
        MqttProperties ack = token.getResponseProperties();
        String reason = explain(topic, refusal, ack == null ? null : ack.getReasonString());
        if (!reason.equals(refusedByTopic.put(topic, reason))) {
            LOG.warn("The broker refused a publish: {}", reason);
        }
        throw new PublishRefusedException(refusal, reason);
    }

    /** What the broker refuses now, one sentence per topic; empty while it takes everything. */
    public Optional<String> current() {
        return refusedByTopic.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", refusedByTopic.values()));
    }

    private static int refusalCode(int[] reasonCodes) {
        if (reasonCodes != null) {
            for (int code : reasonCodes) {
                if (code >= FIRST_FAILURE) {
                    return code;
                }
            }
        }
        return -1;
    }

    static String explain(String topic, int code, String brokerSays) {
        String what = switch (code) {
            case 0x87 -> "not authorized to publish to " + topic + ": check the broker's permissions";
            case 0x97 -> "the broker's quota for this client is exceeded on " + topic
                    + ": check the broker's limits (messages per period) for this client";
            case 0x90 -> "the broker does not accept the topic name " + topic + ": check scale.publish.topic";
            case 0x99 -> "the broker does not accept the payload format of a publish to " + topic;
            case 0x91 -> "the broker says the packet identifier of a publish to " + topic + " is in use";
            default -> "the broker refused a publish to " + topic;
        };
        return what + String.format(Locale.ROOT, " (MQTT reason code 0x%02X%s).", code,
                brokerSays == null || brokerSays.isBlank() ? "" : ", broker: " + brokerSays);
    }
}
