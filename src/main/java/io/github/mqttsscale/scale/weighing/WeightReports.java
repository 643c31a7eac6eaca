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
    private final ClockSync clock;

    public WeightReports(String deviceId, SequenceNumbers sequenceNumbers, ClockSync clock) {
        this.deviceId = deviceId;
        this.sequenceNumbers = sequenceNumbers;
        this.clock = clock;
    }

    /** The headers a route without the newer steps (an older routes folder) lacks count as 0, false or none. */
    public WeightReport report(@Body int raw, @Header(ScaleHeaders.WEIGHT) BigDecimal weightKg,
            @Header(Hx711Constants.TIMESTAMP) Instant readAt, @Header(ScaleHeaders.STABLE) boolean stable,
            @Header(ScaleHeaders.ZERO_SHIFT_KG) BigDecimal zeroShiftKg, @Header(ScaleHeaders.OVERLOAD) Boolean overload,
            @Header(ScaleHeaders.UNDERLOAD) Boolean underload,
            @Header(ScaleHeaders.TEMPERATURE_C) Double temperatureC) {
        Instant at = readAt != null ? readAt : Instant.now();
        return new WeightReport(deviceId, weightKg, "kg", UTC_MILLIS.format(at), sequenceNumbers.next(), raw, stable,
                zeroShiftKg != null ? zeroShiftKg : BigDecimal.ZERO, Boolean.TRUE.equals(overload),
                Boolean.TRUE.equals(underload), temperatureC, clock.synced() ? null : Boolean.FALSE);
    }

    /** The time of a reading as the payloads write it: ISO-8601 UTC with milliseconds. */
    public static String timestamp(Instant at) {
        return UTC_MILLIS.format(at);
    }
}
