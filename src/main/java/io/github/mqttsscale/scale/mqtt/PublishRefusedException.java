package io.github.mqttsscale.scale.mqtt;

import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The broker acknowledged a publish with an MQTT 5 reason code of 0x80 or above: it did not take the message.
 * Paho completes such a publish without an error; this makes it one, so the reading is kept, not counted as sent.
 */
public class PublishRefusedException extends MqttException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    PublishRefusedException(int reasonCode, String reason) {
        super(reasonCode);
        this.reason = reason;
    }

    @Override
    public String getMessage() {
        return reason;
    }
}
