package io.github.mqttsscale.scale.temperature;

/** A thermometer next to the load cell, read now and then by the scale's route read-temperature. */
public interface TemperatureSensor {

    /**
     * The temperature now, in °C.
     *
     * @throws TemperatureSensorException saying what is wrong and what to check, when there is no good reading
     */
    double readC();

    /** Which sensor this is, for the log and the status page (e.g. "DS18B20 28-0316a2794bff"). */
    String describe();
}
