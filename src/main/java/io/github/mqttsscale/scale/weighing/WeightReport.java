package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;

/**
 * The JSON payload on {@code scale/<device-id>/weight}; its contract is
 * {@code src/main/resources/schema/weight.schema.json} and the README.
 *
 * @param timestamp ISO-8601 UTC with milliseconds, the time of the reading (not of the publish)
 * @param seq       +1 per published reading, never going back across restarts (it may skip ahead)
 * @param raw       the HX711's reading (the samples combined, as a whole count) the weight was computed from
 * @param stable    whether the weight had settled (scale.stable.*)
 */
public record WeightReport(String deviceId, BigDecimal weight, String unit, String timestamp, long seq, int raw,
        boolean stable) {
}
