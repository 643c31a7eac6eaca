package io.github.mqttsscale.scale.weighing;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Automatic zero tracking, as trade scales do it (OIML R76): while the weight is stable and within the band around
 * zero, the zero follows it, at most at the rate; never while the weight moves or is away from zero; the total shift
 * since the last tare or calibration stays within the range, beyond which tracking stops and the scale says so. Acts
 * only once {@code scale.capacity-kg} is set (the range is a share of it).
 *
 * @param enabled                whether the zero follows a slowly drifting empty scale
 * @param bandDivisions          how close to zero the weight must be, in divisions e (scale.division-kg)
 * @param rateDivisionsPerSecond how fast the zero may follow, in divisions e per second
 * @param rangePercent           the most the zero may move since the last tare or calibration, in % of
 *                               scale.capacity-kg
 */
// @formatter:off
public record ZeroTrackingOptions(
        @DefaultValue("true") boolean enabled,
        @DecimalMin("0") @DecimalMax("5") @DefaultValue("0.5") double bandDivisions,
        @DecimalMin(value = "0", inclusive = false) @DefaultValue("0.5") double rateDivisionsPerSecond,
        @DecimalMin("0") @DecimalMax("100") @DefaultValue("4") double rangePercent) {
    // @formatter:on
}
