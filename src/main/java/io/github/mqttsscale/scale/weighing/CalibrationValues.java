package io.github.mqttsscale.scale.weighing;

/**
 * Offset and span of the load cell: {@code kg = (raw - offset) / countsPerKg}.
 *
 * @param offset      raw counts with nothing on the scale (the tare)
 * @param countsPerKg how many counts one kilogram adds, above 0
 */
public record CalibrationValues(int offset, double countsPerKg) {

    public CalibrationValues {
        if (!(countsPerKg > 0) || Double.isInfinite(countsPerKg)) {
            throw new IllegalArgumentException("counts per kg must be above 0, was " + countsPerKg);
        }
    }
}
