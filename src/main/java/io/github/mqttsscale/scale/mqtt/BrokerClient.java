package io.github.mqttsscale.scale.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * The scale's MQTT client (bean {@code brokerClient}, used by the paho-mqtt5 endpoints, the outbox and the
 * broker connection). A publish returns only once the broker took it: with MQTT 5 a broker may acknowledge a
 * publish with a refusal (0x87 not authorized, 0x97 quota exceeded, ...), which Paho 1.2.5 completes without
 * an error; here it throws a {@link PublishRefusedException}, so the live route keeps the reading in the outbox
 * and the outbox keeps it too, instead of counting it as delivered.
 */
public class BrokerClient extends MqttClient {

    private final PublishRefusals refusals;

    BrokerClient(String url, String clientId, PublishRefusals refusals) throws MqttException {
        super(url, clientId, new MemoryPersistence());
        this.refusals = refusals;
    }

    /** Every other publish method of {@link MqttClient} comes here. */
    @Override
    public void publish(String topic, MqttMessage message) throws MqttException {
        IMqttToken token = aClient.publish(topic, message, null, null);
        token.waitForCompletion(getTimeToWait());
        refusals.check(topic, token);
    }
}
