package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Turns the HX711's raw counts into kilograms: {@code kg = (raw - offset) / countsPerKg}, rounded
 * (half up, not floored as the original scale did) to the configured resolution.
 * <p>
 * Tare and calibration change the offset and counts per kg while the scale runs: the two values are
 * replaced together (one immutable {@link CalibrationValues}), so a reading never sees a new offset with
 * an old counts per kg. Each change is saved first (when a {@link CalibrationFile} is given), so what the
 * scale uses is always what the next start loads.
 */
public class Calibration {

    private final BigDecimal resolutionKg;
    private final CalibrationFile file;
    private volatile CalibrationValues values;

    public Calibration(int offset, double countsPerKg, BigDecimal resolutionKg) {
        this(new CalibrationValues(offset, countsPerKg), resolutionKg, null);
    }

    /**
     * @param defaults the configured values, used only while {@code file} holds none yet (first run)
     * @param file     where tare and calibration are kept; null keeps them in memory only
     */
    public Calibration(CalibrationValues defaults, BigDecimal resolutionKg, CalibrationFile file) {
        if (resolutionKg.signum() <= 0) {
            throw new IllegalArgumentException("resolution must be above 0 kg, was " + resolutionKg);
        }
        this.resolutionKg = resolutionKg;
        this.file = file;
        this.values = file == null ? defaults : file.load().orElse(defaults);
    }

    /** The weight of a reading, rounded to the resolution; {@code counts} may carry a fraction (a trimmed mean). */
    public BigDecimal toKilograms(double counts) {
        CalibrationValues current = values;
        BigDecimal exact = BigDecimal.valueOf((counts - current.offset()) / current.countsPerKg());
        BigDecimal steps = exact.divide(resolutionKg, 0, RoundingMode.HALF_UP);
        return steps.multiply(resolutionKg).setScale(Math.max(resolutionKg.stripTrailingZeros().scale(), 0),
                RoundingMode.UNNECESSARY);
    }

    /** The load that gave {@code raw} counts becomes zero; counts per kg stay. */
    public synchronized CalibrationValues tare(int raw) {
        return replace(new CalibrationValues(raw, values.countsPerKg()));
    }

    /** The lightest known weight calibration takes: 1 g. */
    public static final double MIN_KNOWN_WEIGHT_KG = 0.001;
    /** The heaviest known weight calibration takes: 5 t (a platform scale's load cells). */
    public static final double MAX_KNOWN_WEIGHT_KG = 5000;
    /** How far a calibration may move counts per kg from the current value (either way) unless forced. */
    public static final double MAX_CHANGE_FACTOR = 10;

    /**
     * With {@code knownWeightKg} on the tared scale reading {@code raw} counts, sets counts per kg so that
     * this load reads {@code knownWeightKg}.
     *
     * @param minLoadCounts a change from the tare offset smaller than this is taken as "no load on the scale"
     * @param force         take a result more than {@link #MAX_CHANGE_FACTOR} times off the current counts per kg
     *                      (another load cell); without it such a result is refused as a mistake (e.g. grams typed as kg)
     * @throws IllegalArgumentException saying why, for a weight out of range, no load, a load that reads negative, or
     *                                  (unless forced) a result far off the current one
     */
    public synchronized CalibrationValues calibrate(int raw, double knownWeightKg, int minLoadCounts, boolean force) {
        checkKnownWeight(knownWeightKg);
        int offset = values.offset();
        long change = raw - (long) offset;
        if (Math.abs(change) < minLoadCounts) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "no load detected: the reading is %d counts from the tare offset %d, less than %d "
                            + "(scale.calibration.min-load-counts); put the known weight on the tared scale",
                    change, offset, minLoadCounts));
        }
        if (change < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the reading went down by %d counts with the weight on: the load cell is mounted upside down "
                            + "or its signal wires (A+/A-) are swapped; or tare first with the scale empty",
                    -change));
        }
        double countsPerKg = change / knownWeightKg;
        double current = values.countsPerKg();
        if (!force && (countsPerKg > current * MAX_CHANGE_FACTOR || countsPerKg < current / MAX_CHANGE_FACTOR)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%.2f counts per kg would be more than %.0f times off the current %.2f: check the known weight "
                            + "(%s kg: in kg, not g or lb) and that the scale was tared empty; to calibrate another load "
                            + "cell, add \"force\": true",
                    countsPerKg, MAX_CHANGE_FACTOR, current, knownWeightKg));
        }
        return replace(new CalibrationValues(offset, countsPerKg));
    }

    /**
     * @throws IllegalArgumentException unless the known weight is from {@link #MIN_KNOWN_WEIGHT_KG} to
     *                                  {@link #MAX_KNOWN_WEIGHT_KG}; before anything is read or saved
     */
    public static void checkKnownWeight(double knownWeightKg) {
        if (!(knownWeightKg >= MIN_KNOWN_WEIGHT_KG && knownWeightKg <= MAX_KNOWN_WEIGHT_KG)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the known weight must be above 0 kg, from %s to %s kg (the weight on the scale, in kg), was %s",
                    MIN_KNOWN_WEIGHT_KG, MAX_KNOWN_WEIGHT_KG, knownWeightKg));
        }
    }

    public CalibrationValues values() {
        return values;
    }

    public int offset() {
        return values.offset();
    }

    public double countsPerKg() {
        return values.countsPerKg();
    }

    private CalibrationValues replace(CalibrationValues next) {
        if (file != null) {
            file.save(next);
        }
        values = next;
        return next;
    }
}
