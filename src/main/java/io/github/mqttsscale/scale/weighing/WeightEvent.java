package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/**
 * The weight settled at a new value, at least {@code scale.events.min-change-kg} from where it stood settled before:
 * the header {@link ScaleHeaders#WEIGHT_EVENT} of the reading that settled there (step detect-weight-event).
 *
 * @param type     {@link Type#ADDED} when the weight went up, {@link Type#REMOVED} when it went down
 * @param deltaKg  {@code afterKg - beforeKg}: negative for removed
 * @param beforeKg where the weight stood settled before it moved
 * @param afterKg  where it settled now
 * @param at       when the reading that settled was taken
 */
public record WeightEvent(Type type, BigDecimal deltaKg, BigDecimal beforeKg, BigDecimal afterKg, Instant at) {

    /** A change from {@code beforeKg} to {@code afterKg}, added or removed by its sign. */
    static WeightEvent between(BigDecimal beforeKg, BigDecimal afterKg, Instant at) {
        BigDecimal delta = afterKg.subtract(beforeKg);
        return new WeightEvent(delta.signum() > 0 ? Type.ADDED : Type.REMOVED, delta, beforeKg, afterKg, at);
    }

    public enum Type {
        ADDED,
        REMOVED;

        /** As the payload writes it: {@code added}, {@code removed}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
