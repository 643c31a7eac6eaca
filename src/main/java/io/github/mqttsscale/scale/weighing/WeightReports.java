package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.apache.camel.Body;
import org.apache.camel.Header;

import io.github.mqttsscale.hx711.Hx711Constants;

/** Makes the published report of a weighed reading: device id, reading time and the next {@code seq}. */
public class WeightReports {

    private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final String deviceId;
    private final SequenceNumbers sequenceNumbers;

    public WeightReports(String deviceId, SequenceNumbers sequenceNumbers) {
        this.deviceId = deviceId;
        this.sequenceNumbers = sequenceNumbers;
    }

    public WeightReport report(@Body int raw, @Header(ScaleHeaders.WEIGHT) BigDecimal weightKg,
            @Header(Hx711Constants.TIMESTAMP) Instant readAt, @Header(ScaleHeaders.STABLE) boolean stable) {
        Instant at = readAt != null ? readAt : Instant.now();
        return new WeightReport(deviceId, weightKg, "kg", UTC_MILLIS.format(at), sequenceNumbers.next(), raw, stable);
    }
}
