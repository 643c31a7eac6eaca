package io.github.mqttsscale.scale.temperature;

/** No good temperature reading: the message says what is wrong and what to check. */
public class TemperatureSensorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TemperatureSensorException(String message) {
        super(message);
    }

    public TemperatureSensorException(String message, Throwable cause) {
        super(message, cause);
    }
}
