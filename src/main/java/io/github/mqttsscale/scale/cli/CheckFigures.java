package io.github.mqttsscale.scale.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import io.github.mqttsscale.hx711.Hx711ClockHighHistogram;
import io.github.mqttsscale.hx711.Hx711RejectReason;
import io.github.mqttsscale.hx711.Hx711Settings;

/**
 * What {@code mqtts-scale check} measured, worked out from its samples: data-ready timing, rejections, the reading and
 * its noise, the clock-high phases; with the settings it was measured against.
 *
 * @param settings          the chip's settings the check used
 * @param attempts          samples asked for
 * @param timeouts          times DOUT never signalled data ready
 * @param good              samples that passed
 * @param rejected          rejected samples by reason
 * @param intervalMs        the median time between two conversions, when two samples came one after the other
 * @param reading           the reading and its noise, when a sample passed
 * @param clockHigh         how long PD_SCK stayed high, pulse by pulse
 */
record CheckFigures(Hx711Settings settings, int attempts, int timeouts, int good,
        Map<Hx711RejectReason, Integer> rejected, OptionalDouble intervalMs, Optional<Reading> reading,
        Hx711ClockHighHistogram clockHigh) {

    /**
     * The good samples as a reading.
     *
     * @param meanCounts  their mean
     * @param kg          the mean as a weight by the calibration
     * @param stdDev      their standard deviation in counts
     * @param grams       the standard deviation as a weight
     * @param peakToPeak  the largest less the smallest, in counts
     * @param samples     how many
     * @param offset      the calibration's offset
     * @param countsPerKg the calibration's counts per kg
     */
    record Reading(double meanCounts, double kg, double stdDev, double grams, int peakToPeak, int samples, int offset,
            double countsPerKg) {
    }

    static CheckFigures of(CheckSampling.Samples samples, Hx711Settings settings, int offset, double countsPerKg) {
        List<Integer> good = samples.good();
        return new CheckFigures(settings, samples.attempts(), samples.timeouts(), good.size(), samples.rejected(),
                medianMs(samples.intervals()), good.isEmpty()
                        ? Optional.empty()
                        : Optional.of(reading(good, offset, countsPerKg)),
                samples.clockHigh());
    }

    /** One conversion every this many ms at the configured RATE. */
    double expectedMs() {
        return 1000.0 / settings.rate();
    }

    int rejected(Hx711RejectReason reason) {
        return rejected.getOrDefault(reason, 0);
    }

    int allRejected() {
        return rejected.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * The median, not the smallest: a data-ready seen late (this thread paused on a busy machine) makes one interval
     * short and the next long, which the smallest interval would take for the chip's rate.
     */
    private static OptionalDouble medianMs(List<Long> intervals) {
        if (intervals.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(intervals.stream().mapToLong(Long::longValue).sorted().skip(intervals.size() / 2)
                .findFirst().orElseThrow() / 1e6);
    }

    private static Reading reading(List<Integer> good, int offset, double countsPerKg) {
        double mean = good.stream().mapToDouble(Integer::doubleValue).average().orElseThrow();
        double variance = good.stream().mapToDouble(raw -> (raw - mean) * (raw - mean)).sum()
                / Math.max(1, good.size() - 1);
        double stdDev = Math.sqrt(variance);
        int spread = good.stream().mapToInt(Integer::intValue).max().orElseThrow()
                - good.stream().mapToInt(Integer::intValue).min().orElseThrow();
        return new Reading(mean, (mean - offset) / countsPerKg, stdDev, stdDev / countsPerKg * 1000, spread,
                good.size(), offset, countsPerKg);
    }
}
