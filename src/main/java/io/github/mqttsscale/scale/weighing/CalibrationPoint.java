package io.github.mqttsscale.scale.weighing;

/**
 * One known weight of a calibration: with {@code kg} on the scale, the reading was {@code counts} above the tare.
 *
 * @param counts the reading with the weight on, minus the tare offset (above 0)
 * @param kg     the known weight
 */
public record CalibrationPoint(double counts, double kg) {

    public CalibrationPoint {
        if (!(counts > 0) || Double.isInfinite(counts) || !(kg > 0) || Double.isInfinite(kg)) {
            throw new IllegalArgumentException(
                    "a calibration point needs counts and kg above 0, was " + counts + " counts, " + kg + " kg");
        }
    }

    /** Counts per kg from zero to this point. */
    public double countsPerKg() {
        return counts / kg;
    }
}
