package io.github.mqttsscale.scale.weighing;

import org.apache.camel.spi.Metadata;

/**
 * The headers the scale's routes set on a reading, besides the hx711 component's own (Hx711Constants); the route YAML
 * writes these names, the Java code uses these constants.
 */
public final class ScaleHeaders {

    @Metadata(description = "The reading in kg, rounded to scale.resolution-kg (step counts-to-kilograms)",
            javaType = "java.math.BigDecimal")
    public static final String WEIGHT = "weight";
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
