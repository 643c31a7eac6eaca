package io.github.mqttsscale.scale.monitoring;

import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.mqttsscale.hx711.Hx711Counters;
import io.github.mqttsscale.hx711.Hx711RejectReason;
import io.github.mqttsscale.scale.weighing.LoadCell;

/**
 * The HX711's own counters as meters: {@code scale.readings}, {@code scale.samples.rejected} by reason,
 * {@code scale.samples.unsettled}, {@code scale.sensor.timeouts}, and the weight now ({@code scale.weight}).
 */
public class SensorMetrics implements MeterBinder {

    private final LoadCell loadCell;
    private final WeightHistory history;

    public SensorMetrics(LoadCell loadCell, WeightHistory history) {
        this.loadCell = loadCell;
        this.history = history;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        counter("scale.readings", "Readings attempted (each the median of several samples)", Hx711Counters::getReads)
                .register(meters);
        for (Hx711RejectReason reason : Hx711RejectReason.values()) {
            counter("scale.samples.rejected", "Samples thrown away", counters -> counters.rejected(reason))
                    .tag("reason", reason.key()).register(meters);
        }
        counter("scale.samples.unsettled", "Samples discarded while the chip settled",
                Hx711Counters::getDiscardedUnsettled).register(meters);
        counter("scale.sensor.timeouts", "Waits for data ready that timed out", Hx711Counters::getTimeouts)
                .register(meters);
        Gauge.builder("scale.weight", history, h -> h.latest().map(p -> p.kg().doubleValue()).orElse(Double.NaN))
                .description("The last weight read").baseUnit("kg").register(meters);
    }

    private FunctionCounter.Builder<LoadCell> counter(String name, String description,
            ToLongFunction<Hx711Counters> count) {
        return FunctionCounter.builder(name, loadCell,
                cell -> cell.consumer().map(c -> (double) count.applyAsLong(c.counters())).orElse(0.0))
                .description(description);
    }
}
