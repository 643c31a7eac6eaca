package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.apache.camel.Header;

import io.github.mqttsscale.hx711.Hx711Constants;

/**
 * Weight events (steps detect-weight-event and event-report): when the weight settles (a stable reading after
 * readings that were not) at least {@code scale.events.min-change-kg} away from where it last stood settled, something
 * was added or removed. "Where it last stood settled" is the last stable reading before the weight moved, so a slow
 * drift while the load rests (temperature, creep) is not counted into the next event's delta; a change too slow ever
 * to stop being stable makes no event.
 *
 * <p>The first stable reading after a start sets where the weight stands, and makes no event; so does the first one
 * after a tare or a calibration, which move the weight without a load moving.
 */
@ScaleStep("weightEvents")
public class WeightEvents {

    /** What a tare or a calibration changes: not zero tracking's shift, which moves the weight by steps too small. */
    private record Zero(int offset, List<CalibrationPoint> points) {
    }

    private final String deviceId;
    private final BigDecimal minChangeKg;
    private final Calibration calibration;
    private final SequenceNumbers sequenceNumbers;
    /** Where the weight stood at the last stable reading; null until a stable reading since the start or the tare. */
    private BigDecimal settledKg;
    private boolean wasStable;
    private Zero zero;

    /** One constructor, the scale's: Spring's ahead-of-time processing refuses a step class with a choice of them. */
    public WeightEvents(Scale scale) {
        this.deviceId = scale.deviceId();
        this.minChangeKg = scale.settings().eventMinChangeKg();
        this.calibration = scale.calibration();
        this.sequenceNumbers = scale.eventSequenceNumbers();
    }

    /**
     * Takes the next reading of the scale.
     *
     * @param weightKg the weight as published (rounded to the division)
     * @param stable   whether it settled
     * @param readAt   when it was read (now when absent)
     * @return the event of this reading, or null when it makes none
     */
    public synchronized WeightEvent detect(@Header(ScaleHeaders.WEIGHT) BigDecimal weightKg,
            @Header(ScaleHeaders.STABLE) boolean stable, @Header(Hx711Constants.TIMESTAMP) Instant readAt) {
        CalibrationValues values = calibration.values();
        Zero now = new Zero(values.offset(), values.points());
        if (!now.equals(zero)) {
            boolean first = zero == null;
            zero = now;
            if (!first) {
                // this reading may still have been weighed with the zero before: the next stable one says where it stands
                settledKg = null;
                wasStable = false;
                return null;
            }
        }
        if (!stable) {
            wasStable = false;
            return null;
        }
        WeightEvent event = null;
        if (settledKg != null && !wasStable && weightKg.subtract(settledKg).abs().compareTo(minChangeKg) >= 0) {
            event = WeightEvent.between(settledKg, weightKg, readAt != null ? readAt : Instant.now());
        }
        settledKg = weightKg;
        wasStable = true;
        return event;
    }

    /** The payload of an event: with the device id and the events' own next {@code seq}. */
    public WeightEventReport report(@Header(ScaleHeaders.WEIGHT_EVENT) WeightEvent event) {
        return new WeightEventReport(deviceId, event.type().key(), event.deltaKg(), event.beforeKg(),
                event.afterKg(), WeightReports.timestamp(event.at()), sequenceNumbers.next());
    }
}
