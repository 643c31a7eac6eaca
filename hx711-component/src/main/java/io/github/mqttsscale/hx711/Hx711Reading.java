package io.github.mqttsscale.hx711;

import java.time.Instant;

/**
 * One reading: several good samples combined (their median, or their trimmed mean).
 *
 * @param raw             the combined value rounded to a whole count, -8388608..8388607
 * @param counts          the combined value with its fraction of a count
 * @param lowest          the lowest good sample: with {@code highest}, how far the samples spread
 * @param highest         the highest good sample
 * @param timestamp       when the reading completed
 * @param dataReadyNanos  System.nanoTime() at which the last used sample's data-ready was seen
 * @param gain            128, 64 or 32
 * @param channel         "A" or "B"
 * @param samplesUsed     good samples combined
 * @param samplesRejected samples thrown away while making this reading
 */
public record Hx711Reading(int raw, double counts, int lowest, int highest, Instant timestamp, long dataReadyNanos,
        int gain, String channel, int samplesUsed,
        int samplesRejected) {
}
