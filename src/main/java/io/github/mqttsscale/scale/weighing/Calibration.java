package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Turns the HX711's raw counts into kilograms: {@code kg = (raw - offset) / countsPerKg}, rounded
 * (half up, not floored as the original scale did) to the configured resolution.
 */
public class Calibration {

    private final int offset;
    private final double countsPerKg;
    private final BigDecimal resolutionKg;

    public Calibration(int offset, double countsPerKg, BigDecimal resolutionKg) {
        if (!(countsPerKg > 0)) {
            throw new IllegalArgumentException("counts per kg must be above 0, was " + countsPerKg);
        }
        if (resolutionKg.signum() <= 0) {
            throw new IllegalArgumentException("resolution must be above 0 kg, was " + resolutionKg);
        }
        this.offset = offset;
        this.countsPerKg = countsPerKg;
        this.resolutionKg = resolutionKg;
    }

    public BigDecimal toKilograms(int raw) {
        BigDecimal exact = BigDecimal.valueOf((raw - (long) offset) / countsPerKg);
        BigDecimal steps = exact.divide(resolutionKg, 0, RoundingMode.HALF_UP);
        return steps.multiply(resolutionKg).setScale(Math.max(resolutionKg.stripTrailingZeros().scale(), 0), RoundingMode.UNNECESSARY);
    }

    public int offset() {
        return offset;
    }

    public double countsPerKg() {
        return countsPerKg;
    }
}
