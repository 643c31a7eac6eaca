package io.github.mqttsscale.scale.monitoring;

import java.math.BigDecimal;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.mqttsscale.hx711.Hx711Counters;
import io.github.mqttsscale.hx711.Hx711RejectReason;
import io.github.mqttsscale.scale.weighing.LoadCell;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * The HX711's own counters as meters: {@code scale.readings}, {@code scale.samples.rejected} by reason,
 * {@code scale.samples.unsettled}, {@code scale.sensor.timeouts}, and the weight now ({@code scale.weight}), each tagged with the scale's device id ({@code scale}).
 */
public class SensorMetrics implements MeterBinder {

    private static final String SCALE = "scale";

    private final Scales scales;
    private final ScaleActivity activity;

    public SensorMetrics(Scales scales, ScaleActivity activity) {
        this.scales = scales;
        this.activity = activity;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        for (Scale scale : scales.all()) {
            LoadCell loadCell = scale.loadCell();
            counter(loadCell, "scale.readings", "Readings attempted (each the median of several samples)",
                    Hx711Counters::getReads).tag(SCALE, scale.deviceId()).register(meters);
            for (Hx711RejectReason reason : Hx711RejectReason.values()) {
                counter(loadCell, "scale.samples.rejected", "Samples thrown away",
                        counters -> counters.rejected(reason))
                        .tag("reason", reason.key()).tag(SCALE, scale.deviceId()).register(meters);
            }
            counter(loadCell, "scale.samples.unsettled", "Samples discarded while the chip settled",
                    Hx711Counters::getDiscardedUnsettled).tag(SCALE, scale.deviceId()).register(meters);
            counter(loadCell, "scale.sensor.timeouts", "Waits for data ready that timed out",
                    Hx711Counters::getTimeouts).tag(SCALE, scale.deviceId()).register(meters);
            Gauge.builder("scale.weight", activity,
                    read -> read.latestWeight(scale).map(BigDecimal::doubleValue).orElse(Double.NaN))
                    .description("The last weight read").baseUnit("kg").tag(SCALE, scale.deviceId()).register(meters);
        }
    }

    private static FunctionCounter.Builder<LoadCell> counter(LoadCell loadCell, String name, String description,
            ToLongFunction<Hx711Counters> count) {
        return FunctionCounter.builder(name, loadCell,
                cell -> cell.consumer().map(c -> (double) count.applyAsLong(c.counters())).orElse(0.0))
                .description(description);
    }
}
