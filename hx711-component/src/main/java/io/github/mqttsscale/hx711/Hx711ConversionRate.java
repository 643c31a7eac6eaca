package io.github.mqttsscale.hx711;

import java.util.Arrays;
import java.util.Optional;

/**
 * The chip's conversion rate as measured from the times DOUT went low, against the rate the settings say its RATE
 * pin is wired for. The driver gives it only intervals between two conversions in a row (DOUT watched without a gap
 * from the end of one read to the next data ready), so each is one period of the chip's own clock: about 100 ms at 10
 * samples/s, 12.5 ms at 80.
 * <p>
 * Written by the reading thread, read from any (health, JMX).
 */
final class Hx711ConversionRate {

    /** Far from both periods (the chip's oscillator is not exact): shorter is 80 samples/s, longer 10. */
    static final long BOUNDARY_NANOS = 35_000_000;
    /**
     * Periods looked at together: a late scheduler can make one look longer, never shorter, so the shortest of them
     * tells the rate.
     */
    static final int PERIODS = 3;

    private final int configuredRate;
    private final long[] periods = new long[PERIODS];
    private int seen;
    private volatile int measuredRate;
    private volatile long shortestNanos;

    Hx711ConversionRate(int configuredRate) {
        this.configuredRate = configuredRate;
    }

    /**
     * One period between two conversions in a row.
     *
     * @return true when this period made the measured rate known or changed it
     */
    boolean period(long nanos) {
        periods[seen++ % PERIODS] = nanos;
        if (seen < PERIODS) {
            return false;
        }
        long shortest = Arrays.stream(periods).min().orElseThrow();
        shortestNanos = shortest;
        int rate = shortest < BOUNDARY_NANOS ? 80 : 10;
        boolean changed = rate != measuredRate;
        measuredRate = rate;
        return changed;
    }

    /** 10 or 80 as measured, or 0 while not known. */
    int measured() {
        return measuredRate;
    }

    /** The measured rate is the configured one. Until it is measured, it is not. */
    boolean confirmed() {
        return measuredRate == configuredRate;
    }

    /** What is wrong and how to fix it, while the measured rate is not the configured one. */
    Optional<String> mismatch(String wire) {
        int measured = measuredRate;
        if (measured == 0 || measured == configuredRate) {
            return Optional.empty();
        }
        return Optional.of(String.format(java.util.Locale.ROOT,
                "the HX711 on %s converts %d times a second (measured: one conversion every %.1f ms), but rate is %d:"
                        + " set rate to %d, as the board's RATE pin is wired. Until then every sample waits the longer"
                        + " settling time (%d ms), so that none converted before the chip settled is used",
                wire, measured, shortestNanos / 1e6, configuredRate, measured,
                Hx711Settings.settlingTimeForRate(10).toMillis()));
    }
}
