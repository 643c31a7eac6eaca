package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Where a weight lies against what the scale can weigh (steps over-capacity and under-zero), as indicators flag it:
 * above the capacity by more than 9 divisions is overload, below zero by more than 20 divisions underload. The weight
 * is still published as measured, flagged; overload and a weight above the highest known weight of a multi-point
 * calibration (extrapolated, so less sure) are also {@link ScaleProblems}.
 */
@ScaleStep("weighingRange")
public class WeighingRange {

    public static final String OVERLOAD_PROBLEM = "overload";
    public static final String CALIBRATED_RANGE_PROBLEM = "calibrated-range";

    private final BigDecimal overloadAboveKg;
    private final BigDecimal underloadBelowKg;
    private final BigDecimal capacityKg;
    private final Calibration calibration;
    private final ScaleProblems problems;

    public WeighingRange(Scale scale) {
        BigDecimal division = scale.settings().divisionKg();
        this.capacityKg = scale.settings().capacityKg();
        this.overloadAboveKg = capacityKg == null ? null : capacityKg.add(division.multiply(BigDecimal.valueOf(9)));
        this.underloadBelowKg = division.multiply(BigDecimal.valueOf(-20));
        this.calibration = scale.calibration();
        this.problems = scale.problems();
    }

    /** Above the capacity by more than 9 divisions; false while no capacity is set. */
    public boolean overload(BigDecimal weightKg) {
        boolean overload = overloadAboveKg != null && weightKg.compareTo(overloadAboveKg) > 0;
        problems.set(OVERLOAD_PROBLEM, overload, String.format(Locale.ROOT, "overload: %s kg on a scale of %s kg "
                + "(scale.capacity-kg): take load off, a load cell above its rating bends for good", weightKg,
                capacityKg));
        CalibrationValues values = calibration.values();
        boolean aboveCalibrated = values.points().size() > 1 && weightKg.doubleValue() > values.highestKg();
        problems.set(CALIBRATED_RANGE_PROBLEM, aboveCalibrated, String.format(Locale.ROOT, "%s kg is above the "
                + "calibrated range (the heaviest known weight is %s kg): the weight is extrapolated; calibrate with "
                + "a heavier known weight (\"add\": true)", weightKg, values.highestKg()));
        return overload;
    }

    /** Below zero by more than 20 divisions: taken off a tared scale, or the scale needs tare. */
    public boolean underload(BigDecimal weightKg) {
        return weightKg.compareTo(underloadBelowKg) < 0;
    }
}
