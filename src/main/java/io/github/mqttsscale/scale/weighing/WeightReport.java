package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON payload on {@code scale/<device-id>/weight}; its contract is
 * {@code src/main/resources/schema/weight.schema.json} and the README.
 *
 * @param timestamp ISO-8601 UTC with milliseconds, the time of the reading (not of the publish)
 * @param seq       +1 per published reading, never going back across restarts (it may skip ahead)
 * @param raw       the HX711's reading (the samples combined, as a whole count) the weight was computed from
 * @param stable       whether the weight had settled (scale.stable.*)
 * @param zeroShiftKg  what automatic zero tracking took off since the last tare or calibration
 * @param overload     above the capacity by more than 9 divisions (weight still as measured)
 * @param underload    below zero by more than 20 divisions (weight still as measured)
 * @param temperatureC the temperature next to the load cell; left out without a temperature sensor
 * @param clockSynced  false while the system clock has not been set from the network yet (the timestamp may be far
 *                     off); left out once it has, and where that cannot be known
 */
public record WeightReport(String deviceId, BigDecimal weight, String unit, String timestamp, long seq, int raw,
        boolean stable, BigDecimal zeroShiftKg, boolean overload, boolean underload,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double temperatureC,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean clockSynced) {
}
