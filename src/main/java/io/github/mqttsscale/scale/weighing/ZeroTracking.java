package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic zero tracking (step track-zero), as OIML R76 allows it on trade scales: while the weight is stable and
 * within {@code band-divisions} of zero, the zero follows it, by at most {@code rate-divisions-per-second}; never while
 * the weight moves or is away from zero, so a load added slowly (faster than the rate) is not swallowed. The shift
 * since the last tare or calibration stays within {@code range-percent} of the capacity: at the limit tracking
 * stops and {@link ScaleProblems} says so (a load cell that keeps drifting is failing, or the scale needs tare).
 * <p>
 * The shift lives in the {@link Calibration} (each reading is converted with it) and is saved with it once it moved
 * by a division since the last save, at most once a minute, and at a clean stop: the SD card is spared the
 * sub-division steps.
 */
@ScaleStep("zeroTracking")
public class ZeroTracking {

    /** The key of its problem in {@link ScaleProblems}. */
    public static final String PROBLEM = "zero-tracking";
    static final Duration SAVE_AT_MOST_EVERY = Duration.ofMinutes(1);
    /** A reading later than this after the one before counts as this late: a long pause is no licence to jump. */
    private static final double LONGEST_STEP_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(ZeroTracking.class);

    private final Calibration calibration;
    private final ScaleProblems problems;
    private Clock clock = Clock.systemUTC();
    private final boolean enabled;
    private final double divisionKg;
    private final double bandKg;
    private final double rateKgPerSecond;
    private final double rangeKg;
    private Instant lastReading;
    private Instant lastSave = Instant.MIN;
    private double savedShiftKg;

    /** The one constructor: Spring's AOT processing refuses a @ScaleStep class with a choice of them. */
    public ZeroTracking(Scale scale) {
        ScaleProperties settings = scale.settings();
        ZeroTrackingOptions options = settings.zeroTracking();
        this.calibration = scale.calibration();
        this.problems = scale.problems();
        this.divisionKg = settings.divisionKg().doubleValue();
        this.enabled = options.enabled() && settings.capacityKg() != null;
        this.bandKg = options.bandDivisions() * divisionKg;
        this.rateKgPerSecond = options.rateDivisionsPerSecond() * divisionKg;
        this.rangeKg = settings.capacityKg() == null
                ? 0
                : settings.capacityKg().doubleValue() * options.rangePercent() / 100;
        this.savedShiftKg = calibration.zeroShiftKg();
        if (options.enabled() && settings.capacityKg() == null) {
            LOG.info("Scale {}: automatic zero tracking waits for scale.capacity-kg (its range is a share of the "
                    + "capacity); set it to the load cell's rating to turn it on", scale.deviceId());
        }
    }

    /** With this clock instead of the system's: tests and the fidelity figures drive their own. */
    public ZeroTracking withClock(Clock testClock) {
        this.clock = testClock;
        return this;
    }

    /**
     * The weight with the zero followed: unchanged unless tracking acts on this reading.
     *
     * @param weightKg the weight, not rounded
     * @param stable   whether it settled
     */
    public synchronized BigDecimal track(BigDecimal weightKg, boolean stable) {
        Instant now = clock.instant();
        double seconds = lastReading == null
                ? 0
                : Math.min(LONGEST_STEP_SECONDS, Math.max(0, Duration.between(lastReading, now).toNanos() / 1e9));
        lastReading = now;
        double weight = weightKg.doubleValue();
        if (!enabled || !stable || Math.abs(weight) > bandKg) {
            return weightKg;
        }
        double step = Math.max(-rateKgPerSecond * seconds, Math.min(rateKgPerSecond * seconds, weight));
        double shift = calibration.zeroShiftKg() + step;
        if (Math.abs(shift) > rangeKg) {
            problems.report(PROBLEM, String.format(Locale.ROOT, "automatic zero tracking stopped at its range: the "
                    + "empty scale's zero moved %+.4f kg since the last tare or calibration, the most "
                    + "scale.zero-tracking.range-percent allows is %.4f kg; tare the empty scale, and if it keeps "
                    + "drifting check the load cell (a failing cell drifts)", calibration.zeroShiftKg(), rangeKg));
            return weightKg;
        }
        problems.clear(PROBLEM);
        boolean save = Math.abs(shift - savedShiftKg) >= divisionKg
                && !now.isBefore(lastSave.plus(SAVE_AT_MOST_EVERY));
        try {
            calibration.shiftZero(shift, save);
            if (save) {
                savedShiftKg = shift;
                lastSave = now;
            }
        } catch (IllegalStateException notSaved) {
            // the data dir cannot be written (the storage health says so): the zero follows in memory all the same
            calibration.shiftZero(shift, false);
            lastSave = now;
        }
        return weightKg.subtract(BigDecimal.valueOf(step));
    }

    /** The zero shift the reading was converted with, for its payload, at a tenth of a division. */
    public BigDecimal zeroShiftKg() {
        return BigDecimal.valueOf(calibration.zeroShiftKg()).setScale(
                Math.max(BigDecimal.valueOf(divisionKg).stripTrailingZeros().scale() + 1, 0),
                java.math.RoundingMode.HALF_UP);
    }
}
