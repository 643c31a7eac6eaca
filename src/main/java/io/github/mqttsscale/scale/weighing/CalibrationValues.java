package io.github.mqttsscale.scale.weighing;

import java.util.Comparator;
import java.util.List;

/**
 * Everything that turns the load cell's counts into kilograms: the tare offset, the known weights it was calibrated
 * with (one point: a straight line through zero; several: piecewise linear between them, the last segment extended
 * beyond the highest), the zero shift that automatic zero tracking found since the last tare or calibration, and the
 * temperature model.
 *
 * @param offset      raw counts with nothing on the scale (the tare)
 * @param points      the calibration's known weights, at least one, sorted by weight, none at the same counts
 * @param zeroShiftKg what zero tracking took off the weight since the last tare or calibration
 * @param temperature how the zero moves with the cell's temperature, once learned; null: the configured model
 *                    (scale.temperature.*)
 */
public record CalibrationValues(int offset, List<CalibrationPoint> points, double zeroShiftKg,
        TemperatureModel temperature) {

    public CalibrationValues {
        points = points.stream().sorted(Comparator.comparingDouble(CalibrationPoint::kg)).toList();
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a calibration needs at least one known weight");
        }
        for (int i = 1; i < points.size(); i++) {
            if (!(points.get(i).counts() > points.get(i - 1).counts())) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "%s kg read %.0f counts, not more than %s kg's %.0f: the load cell is overloaded or a weight "
                                + "was given wrong",
                        points.get(i).kg(), points.get(i).counts(), points.get(i - 1).kg(),
                        points.get(i - 1).counts()));
            }
        }
        if (!Double.isFinite(zeroShiftKg)) {
            throw new IllegalArgumentException("zero shift must be a number, was " + zeroShiftKg);
        }
    }

    /** A straight line through the offset: {@code kg = (raw - offset) / countsPerKg}, no zero shift, no temperature. */
    public CalibrationValues(int offset, double countsPerKg) {
        this(offset, List.of(onePoint(countsPerKg)), 0, null);
    }

    private static CalibrationPoint onePoint(double countsPerKg) {
        if (!(countsPerKg > 0) || Double.isInfinite(countsPerKg)) {
            throw new IllegalArgumentException("counts per kg must be above 0, was " + countsPerKg);
        }
        return new CalibrationPoint(countsPerKg, 1);
    }

    /** Counts per kg between zero and the first known weight (with one point, the scale's only slope). */
    public double countsPerKg() {
        return points.get(0).countsPerKg();
    }

    /** The heaviest known weight: above it the weight is extrapolated. */
    public double highestKg() {
        return points.get(points.size() - 1).kg();
    }

    /**
     * The weight this many counts above the offset weighs, before zero shift and temperature: on the segment between
     * the two known weights around it, the first segment below the first point, the last beyond the last.
     */
    public double kilograms(double countsAboveZero) {
        double lowCounts = 0;
        double lowKg = 0;
        for (CalibrationPoint point : points) {
            if (countsAboveZero <= point.counts() || point == points.get(points.size() - 1)) {
                return lowKg + (countsAboveZero - lowCounts) * (point.kg() - lowKg) / (point.counts() - lowCounts);
            }
            lowCounts = point.counts();
            lowKg = point.kg();
        }
        throw new IllegalStateException("unreachable: a calibration has a point");
    }

    /** The same with a new tare: the known weights stay (their counts above zero), the zero shift starts at 0. */
    public CalibrationValues withOffset(int newOffset) {
        return new CalibrationValues(newOffset, points, 0, temperature);
    }

    public CalibrationValues withPoints(List<CalibrationPoint> newPoints) {
        return new CalibrationValues(offset, newPoints, 0, temperature);
    }

    public CalibrationValues withZeroShiftKg(double shiftKg) {
        return new CalibrationValues(offset, points, shiftKg, temperature);
    }

    public CalibrationValues withTemperature(TemperatureModel model) {
        return new CalibrationValues(offset, points, zeroShiftKg, model);
    }
}
