package io.github.mqttsscale.scale.weighing;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How raw counts become kilograms on the first run: {@code kg = (raw - offset) / countsPerKg}. Tare and calibration
 * replace these in {@code <data-dir>/calibration.properties}; from then on that file is the scale's calibration.
 *
 * @param offset        raw count with nothing on the scale (the original's value); first run only: tare replaces it
 *                      in <data-dir>/calibration.properties
 * @param countsPerKg   counts per kilogram (the original's value); first run only: calibration replaces it in
 *                      <data-dir>/calibration.properties
 * @param minLoadCounts calibrating refuses a known weight that moves the reading less than this many counts from the
 *                      tare ("no load detected")
 */
// @formatter:off
public record InitialCalibration(
        @DefaultValue("75353") int offset,
        @DecimalMin(value = "0", inclusive = false,
                message = "must be above 0: put a known weight on the scale and divide the change in counts by its kg")
        @DefaultValue("12780") double countsPerKg,
        @Min(1) @DefaultValue("500") int minLoadCounts) {
    // @formatter:on

    /** The first run's offset and counts per kg. */
    public CalibrationValues values() {
        return new CalibrationValues(offset, countsPerKg);
    }
}
