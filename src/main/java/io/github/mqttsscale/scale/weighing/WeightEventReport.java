package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;

/**
 * The JSON payload on {@code scale/<device-id>/event}; its contract is {@code src/main/resources/schema/event.schema.json}
 * and the README.
 *
 * @param type      added or removed
 * @param deltaKg   afterKg - beforeKg (negative for removed)
 * @param beforeKg  where the weight stood settled before
 * @param afterKg   where it settled now
 * @param timestamp ISO-8601 UTC with milliseconds, the time of the reading that settled
 * @param seq       +1 per event, a count of its own (not the weights' seq), never going back across restarts
 */
public record WeightEventReport(String deviceId, String type, BigDecimal deltaKg, BigDecimal beforeKg,
        BigDecimal afterKg, String timestamp, long seq) {
}
