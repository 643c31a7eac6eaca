package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMin;

/**
 * Weight events on {@code scale/<device-id>/event}: the weight settled at a value this far from the last settled one
 * ("added", "removed").
 *
 * @param minChangeKg the smallest change that makes an event; default: 10 divisions (10 × scale.division-kg)
 */
public record EventOptions(@DecimalMin(value = "0", inclusive = false) BigDecimal minChangeKg) {
}
