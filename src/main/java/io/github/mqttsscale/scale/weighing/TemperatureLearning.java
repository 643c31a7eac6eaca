package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;

import io.github.mqttsscale.scale.temperature.TemperatureFit;

/**
 * One run of learn-temperature: records, for the minutes asked, the weight (not compensated, zero tracking's shift
 * added back) and the measured temperature, then fits coefficient and lag ({@link TemperatureFit}) and says whether
 * the model may be applied. Memory stays small however long it learns: weights and temperatures are kept as means
 * (of their times and values) over short bins, 1 s, or longer for long runs, so that a week takes at most
 * {@value #MOST_BINS} bins. Each weight's cell temperature is estimated from the temperatures before it only, as the
 * scale does when it compensates, so that the lag learned is the one it compensates with.
 * <p>
 * Whether the load stayed as it was is judged against the fitted model, not by the scale's stable mark: without
 * compensation the temperature itself moves the weight by tens of grams over a day, faster than the stable tolerance
 * allows at times, while a load put on or taken off is a step that the temperature cannot explain. A load that came and
 * went again leaves much unexplained: the fit is poor.
 */
final class TemperatureLearning {

    /** The least the temperature must move to learn from. */
    static final double LEAST_RANGE_C = 2;
    /** The shortest and longest runs, in minutes (a week: the weather's cycles, not only day and night). */
    static final double SHORTEST_MINUTES = 0.1;
    static final double LONGEST_MINUTES = 7 * 24 * 60;
    private static final int MOST_BINS = 5000;
    /** The least weight bins a fit needs. */
    private static final int LEAST_WEIGHTS = 10;
    /** The longest lag tried, in spans of the run: beyond it the cell hardly moves while learning. */
    private static final double LONGEST_LAG_SPANS = 3;

    private final Instant from;
    private final Instant until;
    private final double startSeconds;
    private final double endSeconds;
    private final double binSeconds;
    private final CalibrationValues calibrationAtStart;
    private final double referenceC;

    private final Samples weights = new Samples();
    /** How many readings each weight bin is the mean of. */
    private final Samples counts = new Samples();
    private long weightBin = Long.MIN_VALUE;
    private double binTimeSum;
    private double binWeightSum;
    private int binCount;
    private int readings;

    private final Samples temperatures = new Samples();
    private long temperatureBin = Long.MIN_VALUE;
    private double temperatureTimeSum;
    private double temperatureSum;
    private int temperatureCount;
    private int measurements;
    private double lowestC = Double.POSITIVE_INFINITY;
    private double highestC = Double.NEGATIVE_INFINITY;

    /**
     * @param from               when it starts
     * @param span               how long it records
     * @param startSeconds       {@code from} on the clock of the times given to {@link #weight} and
     *                           {@link #temperature}
     * @param calibrationAtStart the calibration then: a tare or calibration while learning spoils it
     * @param referenceC         the reference temperature the learned model keeps (the model's before)
     */
    TemperatureLearning(Instant from, Duration span, double startSeconds, CalibrationValues calibrationAtStart,
            double referenceC) {
        this.from = from;
        this.until = from.plus(span);
        this.startSeconds = startSeconds;
        this.endSeconds = startSeconds + span.toNanos() / 1e9;
        this.binSeconds = Math.max(1, (endSeconds - startSeconds) / MOST_BINS);
        this.calibrationAtStart = calibrationAtStart;
        this.referenceC = referenceC;
    }

    /** A weight read at {@code t}, in kg, not compensated for temperature nor shifted by zero tracking. */
    void weight(double t, double kg) {
        if (t < startSeconds || t > endSeconds) {
            return;
        }
        long bin = (long) Math.floor((t - startSeconds) / binSeconds);
        if (bin != weightBin) {
            flushWeights();
            weightBin = bin;
        }
        binTimeSum += t;
        binWeightSum += kg;
        binCount++;
        readings++;
    }

    private void flushWeights() {
        if (binCount > 0) {
            weights.add(binTimeSum / binCount, binWeightSum / binCount);
            counts.add(binTimeSum / binCount, binCount);
        }
        binTimeSum = 0;
        binWeightSum = 0;
        binCount = 0;
    }

    /** A temperature measured at {@code t}, in °C (the first may be from before the start: where the cell starts). */
    void temperature(double t, double celsius) {
        if (t > endSeconds) {
            return;
        }
        long bin = (long) Math.floor((t - startSeconds) / binSeconds);
        if (bin != temperatureBin) {
            flushTemperatures();
            temperatureBin = bin;
        }
        temperatureTimeSum += t;
        temperatureSum += celsius;
        temperatureCount++;
        measurements++;
        lowestC = Math.min(lowestC, celsius);
        highestC = Math.max(highestC, celsius);
    }

    private void flushTemperatures() {
        if (temperatureCount > 0) {
            temperatures.add(temperatureTimeSum / temperatureCount, temperatureSum / temperatureCount);
        }
        temperatureTimeSum = 0;
        temperatureSum = 0;
        temperatureCount = 0;
    }

    boolean timeUp(double nowSeconds) {
        return nowSeconds >= endSeconds;
    }

    Instant until() {
        return until;
    }

    /** What it recorded so far, for the status page. */
    String progress() {
        return String.format(Locale.ROOT, "learning until %s: %d weight readings and %d temperatures so far",
                until, readings, measurements);
    }

    /**
     * The fitted model, or why it is not applied.
     *
     * @param calibrationNow the calibration now (was the scale tared or calibrated meanwhile?)
     * @param toleranceKg    the stable tolerance: a step larger than it is a changed load, a fit leaving more than half
     *                       of it unexplained is poor
     * @param cellTime       when the scale's own estimate of the cell's temperature was last updated: the answer
     *                       says what the learned model makes of the cell's temperature then
     */
    Outcome finish(CalibrationValues calibrationNow, double toleranceKg, Instant now, double cellTime) {
        flushWeights();
        flushTemperatures();
        if (calibrationNow.offset() != calibrationAtStart.offset()
                || !calibrationNow.points().equals(calibrationAtStart.points())) {
            return refused(now,
                    "the scale was tared or calibrated while learning: learn again, with the load as it is");
        }
        String tooFew = String.format(Locale.ROOT, "too few readings to learn from: %d weight readings and %d "
                + "temperatures; the weighing route needs its step compensate-temperature and the route "
                + "read-temperature must run (routes/temperature.camel.yaml), with a temperature sensor that answers",
                readings, measurements);
        if (weights.size() < LEAST_WEIGHTS || measurements < 2) {
            return refused(now, tooFew);
        }
        if (highestC - lowestC < LEAST_RANGE_C) {
            return new Outcome(answer(now, false, String.format(Locale.ROOT,
                    "the temperature moved only %.2f °C (%.2f to %.2f °C) while learning; it must move at least "
                            + "%.0f °C: learn over a longer time, e.g. a day and a night",
                    highestC - lowestC, lowestC, highestC, LEAST_RANGE_C), null), null, Double.NaN);
        }
        TemperatureFit fit;
        try {
            fit = new TemperatureFit(temperatures.times(), temperatures.values(), weights.times(), weights.values(),
                    counts.values());
        } catch (IllegalArgumentException e) {
            return refused(now, tooFew); // the weights came before the first temperature
        }
        double span = endSeconds - startSeconds;
        TemperatureFit.Result best = fit.best(LONGEST_LAG_SPANS * span);
        TemperatureModel model = new TemperatureModel(significant(best.coefficient()),
                Duration.ofMillis(Math.round(best.lagSeconds() * 10) * 100), referenceC);
        // a load put on or taken off: a step that the temperature does not explain, and that explains most of what the
        // temperature leaves
        TemperatureFit.Result stepped = fit.bestWithStep(LONGEST_LAG_SPANS * span);
        if (Math.abs(stepped.stepKg()) > toleranceKg && stepped.sumOfSquares() <= best.sumOfSquares() / 4) {
            return new Outcome(answer(now, false, String.format(Locale.ROOT,
                    "the load changed while learning: by %.3f kg around %s, beyond what the temperature explains "
                            + "(more than the stable tolerance %.3f kg); keep the load as it is while learning, and "
                            + "learn again",
                    stepped.stepKg(), from.plusMillis(Math.round((stepped.stepTime() - startSeconds) * 1000)),
                    toleranceKg), best), null, Double.NaN);
        }
        if (best.residualRms() > toleranceKg / 2) {
            return new Outcome(answer(now, false, String.format(Locale.ROOT,
                    "the fit is poor: the temperature model leaves %.4f kg (RMS) unexplained, more than half the "
                            + "stable tolerance %.3f kg (r² %.3f); was the load kept as it is, and is the sensor next "
                            + "to the load cell?",
                    best.residualRms(), toleranceKg, best.rSquared()), best), null, Double.NaN);
        }
        String learned = String.format(Locale.ROOT,
                "learned from %d readings between %.2f and %.2f °C: the weight moves %s kg per °C of the cell, "
                        + "whose temperature lags the measured one by %.1f s (r² %.3f, %.4f kg left unexplained)",
                readings, lowestC, highestC, BigDecimal.valueOf(model.zeroDriftKgPerC()).toPlainString(),
                model.lag().toMillis() / 1000.0, best.rSquared(), best.residualRms());
        return new Outcome(answer(now, true, learned, best), model, fit.cellAt(best, cellTime));
    }

    private Outcome refused(Instant now, String reason) {
        return new Outcome(answer(now, false, reason, null), null, Double.NaN);
    }

    private TemperatureLearned answer(Instant now, boolean ok, String reason, TemperatureFit.Result fit) {
        boolean measured = measurements > 0;
        return new TemperatureLearned(TemperatureLearned.COMMAND, ok, reason,
                now.truncatedTo(ChronoUnit.MILLIS).toString(), from.toString(),
                until.toString(), fit == null ? null : significant(fit.coefficient()),
                fit == null ? null : Math.round(fit.lagSeconds() * 10) / 10.0, referenceC,
                fit == null ? null : Math.round(fit.rSquared() * 10000) / 10000.0,
                fit == null ? null : significant(fit.residualRms()),
                measured ? Math.round(lowestC * 100) / 100.0 : null,
                measured ? Math.round(highestC * 100) / 100.0 : null,
                readings);
    }

    /** Four significant digits: what a fit can tell, and the same in the answer and in the calibration file. */
    private static double significant(double value) {
        return value == 0 || !Double.isFinite(value)
                ? value
                : new BigDecimal(value).round(new MathContext(4)).doubleValue();
    }

    /**
     * How learning ended.
     *
     * @param answer the answer on the command result topic
     * @param model  the model to apply, null when refused
     * @param cellC  the cell's temperature, as the model sees it, when the scale's estimate was last updated (NaN
     *               when refused)
     */
    record Outcome(TemperatureLearned answer, TemperatureModel model, double cellC) {
    }

    /** Times and values, growing. */
    private static final class Samples {
        private double[] times = new double[64];
        private double[] values = new double[64];
        private int size;

        void add(double time, double value) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = time;
            values[size] = value;
            size++;
        }

        int size() {
            return size;
        }

        double[] times() {
            return Arrays.copyOf(times, size);
        }

        double[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
