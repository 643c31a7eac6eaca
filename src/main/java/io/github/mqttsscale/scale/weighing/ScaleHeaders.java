package io.github.mqttsscale.scale.weighing;

import org.apache.camel.spi.Metadata;

/**
 * The headers the scale's routes set on a reading, besides the hx711 component's own (Hx711Constants); the route YAML
 * writes these names, the Java code uses these constants.
 */
public final class ScaleHeaders {

    @Metadata(description = "The reading in kg: from counts-to-kilograms on (not rounded), corrected for temperature "
            + "(compensate-temperature) and zero drift (track-zero), and from round-to-division on rounded to the "
            + "division", javaType = "java.math.BigDecimal")
    public static final String WEIGHT = "weight";
    @Metadata(description = "The temperature measured next to the load cell, in °C, when a sensor is set "
            + "(step compensate-temperature)", javaType = "Double")
    public static final String TEMPERATURE_C = "temperatureC";
    @Metadata(description = "What automatic zero tracking took off the weight since the last tare or calibration, in "
            + "kg (step track-zero)", javaType = "java.math.BigDecimal")
    public static final String ZERO_SHIFT_KG = "zeroShiftKg";
    @Metadata(description = "The weight is above the capacity by more than 9 divisions (step check-capacity)",
            javaType = "boolean")
    public static final String OVERLOAD = "overload";
    @Metadata(description = "The weight is below zero by more than 20 divisions (step check-capacity)",
            javaType = "boolean")
    public static final String UNDERLOAD = "underload";
    @Metadata(description = "The weight event of this reading (added, removed), when it settled at a new weight "
            + "(step detect-weight-event)", javaType = "io.github.mqttsscale.scale.weighing.WeightEvent")
    public static final String WEIGHT_EVENT = "weightEvent";
    @Metadata(description = "Whether the weight settled (step settled)", javaType = "boolean")
    public static final String STABLE = "stable";
    @Metadata(description = "The MQTT topic the reading is published on (step weight-topic); the outbox keeps it with "
            + "a reading it cannot send yet", javaType = "String")
    public static final String TOPIC = "topic";
    @Metadata(description = "The device id of the scale that took the reading (step weight-topic)",
            javaType = "String")
    public static final String DEVICE_ID = "deviceId";

    private ScaleHeaders() {
    }
}
