package io.github.mqttsscale.scale.commands;

import java.nio.charset.StandardCharsets;

import org.apache.camel.ProducerTemplate;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;

/**
 * Brings the commands from {@code scale/<device-id>/command} to the command route. The subscription belongs
 * to the {@link BrokerConnection}, which makes it again after every (re)connect; each message is queued on
 * {@value #ENDPOINT} (never processed on Paho's thread, which must not wait for the result's publish).
 * Retained messages are ignored: a retained "tare" would tare again at every reconnect.
 */
public class CommandInbox {

    /** What the command route in routes/commands.camel.yaml starts from. */
    public static final String ENDPOINT = "seda:scale-commands";

    private static final Logger LOG = LoggerFactory.getLogger(CommandInbox.class);

    private final ProducerTemplate camel;

    public CommandInbox(BrokerConnection broker, String commandTopic, ProducerTemplate camel) {
        this.camel = camel;
        broker.subscribe(commandTopic, 1, this::accept);
    }

    private void accept(String topic, MqttMessage message) {
        if (message.isRetained()) {
            LOG.warn("Ignored a retained command on {}: commands must not be retained (clear it with an empty "
                    + "retained message)", topic);
            return;
        }
        camel.sendBody(ENDPOINT, new String(message.getPayload(), StandardCharsets.UTF_8));
    }
}
