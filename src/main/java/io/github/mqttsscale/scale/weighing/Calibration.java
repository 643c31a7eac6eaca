package io.github.mqttsscale.scale.weighing;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns the HX711's raw counts into kilograms through the scale's {@link CalibrationValues}: the tare offset, the
 * known weights (piecewise linear between them) and the zero shift of automatic zero tracking. The weight is not
 * rounded here: the step round-to-division does that, after temperature compensation and zero tracking.
 * <p>
 * Tare, calibration, zero tracking and a learned temperature model change the values while the scale runs: they are
 * replaced together (one immutable {@link CalibrationValues}), so a reading never sees a new offset with old known
 * weights. Each change is saved first (when a {@link CalibrationFile} is given), so what the scale uses is what the
 * next start loads; zero tracking's small steps are saved as {@link #shiftZero} is told.
 */
public class Calibration {

    /** The lightest known weight calibration takes: 1 g. */
    public static final double MIN_KNOWN_WEIGHT_KG = 0.001;
    /** The heaviest known weight calibration takes: 5 t (a platform scale's load cells). */
    public static final double MAX_KNOWN_WEIGHT_KG = 5000;
    /** How far a calibration may move counts per kg from the current value (either way) unless forced. */
    public static final double MAX_CHANGE_FACTOR = 10;
    /** The most known weights one calibration keeps. */
    public static final int MAX_POINTS = 10;
    /** What to do about a damaged calibration: the same words in the log, health and on the status page. */
    static final String HOW_TO_RECALIBRATE = "No weight is published until the scale is calibrated again: tare "
            + "the empty scale, then calibrate with a known weight ({\"command\":\"tare\"} then "
            + "{\"command\":\"calibrate\",\"knownWeightKg\":2.0} over MQTT, the status page or Hawtio), or stop the "
            + "service and run: sudo -u mqtts-scale mqtts-scale calibrate";

    private final CalibrationFile file;
    private final TemperatureModel configuredTemperature;
    private volatile CalibrationValues values;
    /**
     * Why there is no calibration to trust (the file was damaged), until the scale is tared and calibrated again;
     * null while it is trusted. Meanwhile no weight is computed, and nothing is saved.
     */
    private volatile String damage;
    /** Whether the scale was tared since the damage was found: calibrating needs the zero first. */
    private boolean taredSinceDamage;
    /** What the file holds (or null): zero tracking's unsaved steps are written at a clean stop. */
    private CalibrationValues saved;

    public Calibration(int offset, double countsPerKg) {
        this(new CalibrationValues(offset, countsPerKg), TemperatureModel.NONE, null);
    }

    /**
     * @param defaults              the configured values, used only while {@code file} holds none yet (first run)
     * @param configuredTemperature the temperature model of the settings, used until one is learned
     * @param file                  where tare and calibration are kept; null keeps them in memory only
     */
    public Calibration(CalibrationValues defaults, TemperatureModel configuredTemperature, CalibrationFile file) {
        this.file = file;
        this.configuredTemperature = configuredTemperature;
        this.values = file == null ? defaults : loaded(file, defaults);
        this.saved = values;
    }

    /**
     * The file's values; a damaged file is set aside, and the configured values are then held only as the start of a
     * new calibration, never used for a weight (a weight from a guessed calibration is a wrong weight).
     */
    private CalibrationValues loaded(CalibrationFile calibrationFile, CalibrationValues defaults) {
        try {
            Optional<CalibrationValues> loaded = calibrationFile.load();
            if (loaded.isPresent()) {
                return loaded.get();
            }
            List<Path> before = calibrationFile.setAsideBefore();
            if (!before.isEmpty()) {
                damage = "there is no calibration to trust: " + calibrationFile.path() + " was found damaged at an "
                        + "earlier start and set aside as " + before.get(before.size() - 1) + ". " + HOW_TO_RECALIBRATE
                        + "; to use scale.calibration.offset and counts-per-kg instead, delete "
                        + before.stream().map(Path::toString).collect(Collectors.joining(", ")) + " and restart";
            }
        } catch (DamagedCalibrationException e) {
            String where;
            try {
                where = "it was moved to " + calibrationFile.setAside() + " for you to look at";
            } catch (UncheckedIOException notMoved) {
                where = "it could not be set aside (" + notMoved.getMessage() + ")";
            }
            damage = "the calibration file " + e.file() + " is damaged (" + e.what() + "); " + where + ". "
                    + HOW_TO_RECALIBRATE;
        } catch (UncheckedIOException unreadable) {
            damage = "the calibration file cannot be read (" + unreadable.getMessage() + "): check the disk and the "
                    + "file's owner, then restart; or " + HOW_TO_RECALIBRATE.substring(0, 1).toLowerCase(Locale.ROOT)
                    + HOW_TO_RECALIBRATE.substring(1);
        }
        return defaults;
    }

    /** Why the scale has no calibration to trust now, and how to calibrate it again; empty while it has one. */
    public Optional<String> damage() {
        return Optional.ofNullable(damage);
    }

    /** Whether there is a calibration to weigh with (the route's step calibrated drops readings while not). */
    public boolean trusted() {
        return damage == null;
    }

    /** The route's step without-calibration stops a reading while this is true. */
    public boolean untrusted() {
        return !trusted();
    }

    /**
     * The weight of a reading, not rounded; {@code counts} may carry a fraction (a trimmed mean).
     *
     * @throws IllegalStateException saying why and how to calibrate, while there is no calibration to trust (a route
     *                               without the step calibrated gets an error, not a wrong weight)
     */
    public BigDecimal toKilograms(double counts) {
        String why = damage;
        if (why != null) {
            throw new IllegalStateException("no weight: " + why);
        }
        CalibrationValues current = values;
        return BigDecimal.valueOf(current.kilograms(counts - current.offset()) - current.zeroShiftKg());
    }

    /** The load that gave {@code raw} counts becomes zero; the known weights stay, the zero shift starts again at 0. */
    public synchronized CalibrationValues tare(int raw) {
        CalibrationValues tared = replace(values.withOffset(raw));
        if (damage != null && !taredSinceDamage) {
            taredSinceDamage = true;
            damage = "tared; now calibrate with a known weight to weigh again (the calibration file was damaged: "
                    + damage + ")";
        }
        return tared;
    }

    /**
     * With {@code knownWeightKg} on the tared scale reading {@code raw} counts, makes this load read
     * {@code knownWeightKg}: the scale's only known weight, or with {@code add} one more (replacing one of the same
     * weight). The zero shift of zero tracking goes into the offset first, so the known weight is measured from the
     * zero the scale has now.
     *
     * @param minLoadCounts a change from the tare offset smaller than this is taken as "no load on the scale"
     * @param force         take a result more than {@link #MAX_CHANGE_FACTOR} times off the current counts per kg
     *                      (another load cell); without it such a result is refused as a mistake (e.g. grams typed as kg)
     * @throws IllegalArgumentException saying why, for a weight out of range, no load, a load that reads negative, a
     *                                  point that does not fit the others, or (unless forced) a result far off the
     *                                  current one
     */
    public synchronized CalibrationValues calibrate(int raw, double knownWeightKg, int minLoadCounts, boolean force,
            boolean add) {
        checkKnownWeight(knownWeightKg);
        if (damage != null && !taredSinceDamage) {
            throw new IllegalArgumentException("the scale has no zero to trust (the calibration file was damaged): "
                    + "tare the empty scale first, then calibrate with the known weight");
        }
        CalibrationValues zeroed = values.withOffset(offsetWithZeroShift());
        long change = raw - (long) zeroed.offset();
        if (Math.abs(change) < minLoadCounts) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "no load detected: the reading is %d counts from the tare offset %d, less than %d "
                            + "(scale.calibration.min-load-counts); put the known weight on the tared scale",
                    change, zeroed.offset(), minLoadCounts));
        }
        if (change < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the reading went down by %d counts with the weight on: the load cell is mounted upside down "
                            + "or its signal wires (A+/A-) are swapped; or tare first with the scale empty",
                    -change));
        }
        CalibrationPoint point = new CalibrationPoint(change, knownWeightKg);
        double current = zeroed.countsPerKg();
        if (!force && (point.countsPerKg() > current * MAX_CHANGE_FACTOR
                || point.countsPerKg() < current / MAX_CHANGE_FACTOR)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%.2f counts per kg would be more than %.0f times off the current %.2f: check the known weight "
                            + "(%s kg: in kg, not g or lb) and that the scale was tared empty; to calibrate another load "
                            + "cell, add \"force\": true",
                    point.countsPerKg(), MAX_CHANGE_FACTOR, current, knownWeightKg));
        }
        List<CalibrationPoint> points = new ArrayList<>();
        if (add && damage == null) { // after a damaged file, the configured slope is no known weight to add to
            zeroed.points().stream().filter(known -> known.kg() != knownWeightKg).forEach(points::add);
            if (points.size() >= MAX_POINTS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "the calibration has %d known weights, "
                        + "the most it keeps: calibrate without \"add\" to start again from one", MAX_POINTS));
            }
        }
        points.add(point);
        String wasDamaged = damage;
        damage = null; // tared and calibrated: the new calibration is saved, and trusted
        try {
            return replace(zeroed.withPoints(points));
        } catch (RuntimeException notSaved) {
            damage = wasDamaged;
            throw notSaved;
        }
    }

    /** {@link #calibrate(int, double, int, boolean, boolean)} with one known weight, replacing the others. */
    public CalibrationValues calibrate(int raw, double knownWeightKg, int minLoadCounts, boolean force) {
        return calibrate(raw, knownWeightKg, minLoadCounts, force, false);
    }

    /** The offset where the scale's zero is now: the tare moved by the zero shift. */
    private int offsetWithZeroShift() {
        CalibrationValues current = values;
        return (int) Math.round(current.offset() + current.zeroShiftKg() * current.countsPerKg());
    }

    /**
     * Zero tracking's new total shift since the last tare or calibration.
     *
     * @param save whether to write it to the calibration file now (zero tracking saves its small steps seldom, to spare
     *             the SD card)
     */
    public synchronized void shiftZero(double totalShiftKg, boolean save) {
        CalibrationValues next = values.withZeroShiftKg(totalShiftKg);
        if (save) {
            replace(next);
        } else {
            values = next;
        }
    }

    /** Saves zero tracking's latest shift when it has not been saved, e.g. at a clean stop. */
    public synchronized void saveUnsaved() {
        if (!values.equals(saved)) {
            replace(values);
        }
    }

    /** A learned temperature model; it replaces the configured one, and is saved with the calibration. */
    public synchronized CalibrationValues learnedTemperature(TemperatureModel model) {
        return replace(values.withTemperature(model));
    }

    /** The learned temperature model, or the configured one while none was learned. */
    public TemperatureModel temperatureModel() {
        TemperatureModel learned = values.temperature();
        return learned != null ? learned : configuredTemperature;
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

    public double zeroShiftKg() {
        return values.zeroShiftKg();
    }

    private CalibrationValues replace(CalibrationValues next) {
        if (file != null && damage == null) { // without a trusted calibration nothing is saved that a start would trust
            file.save(next);
        }
        values = next;
        saved = next;
        return next;
    }
}
