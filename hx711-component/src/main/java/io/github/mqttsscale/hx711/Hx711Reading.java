package io.github.mqttsscale.hx711;

import java.time.Instant;

/**
 * One reading: the median of several good samples.
 *
 * @param raw             median raw count, -8388608..8388607
 * @param timestamp       when the reading completed
 * @param dataReadyNanos  System.nanoTime() at which the last used sample's data-ready was seen
 * @param gain            128, 64 or 32
 * @param channel         "A" or "B"
 * @param samplesUsed     good samples the median was taken over
 * @param samplesRejected samples thrown away while making this reading
 */
public record Hx711Reading(int raw, Instant timestamp, long dataReadyNanos, int gain, String channel, int samplesUsed,
        int samplesRejected) {
}
