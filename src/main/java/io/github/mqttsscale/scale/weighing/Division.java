package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The scale's division e ({@code scale.division-kg}): a weight rounded to it, half up, with its decimals, as a scale's
 * display shows it (e = 0.005 shows 2.505, never 2.5049).
 */
@ScaleStep("division")
public class Division {

    private final BigDecimal divisionKg;
    private final int decimals;

    public Division(Scale scale) {
        this.divisionKg = scale.settings().divisionKg();
        this.decimals = Math.max(divisionKg.stripTrailingZeros().scale(), 0);
    }

    /** The weight rounded to the nearest multiple of the division. */
    public BigDecimal round(BigDecimal kg) {
        return kg.divide(divisionKg, 0, RoundingMode.HALF_UP).multiply(divisionKg).setScale(decimals,
                RoundingMode.UNNECESSARY);
    }
}
