package io.github.mqttsscale.scale.weighing;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.mqttsscale.hx711.Hx711Simulator;

/** The scales this process weighs with: one, or those listed in scale.scales. */
public record Scales(List<Scale> all) implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scales.class);

    public Scales {
        all = List.copyOf(all);
    }

    public boolean several() {
        return all.size() > 1;
    }

    public Optional<Scale> find(String deviceId) {
        return all.stream().filter(scale -> scale.deviceId().equals(deviceId)).findFirst();
    }

    /** @throws IllegalArgumentException naming the scales there are */
    public Scale get(String deviceId) {
        return find(deviceId)
                .orElseThrow(() -> new IllegalArgumentException("no scale " + deviceId + ": the scales are "
                        + all.stream().map(Scale::deviceId).collect(Collectors.joining(", "))));
    }

    /**
     * Saves each scale's next seq (a clean stop leaves no gap) and zero tracking's latest shift, and closes the
     * simulated sensors.
     */
    @Override
    public void close() {
        all.forEach(scale -> {
            scale.sequenceNumbers().close();
            try {
                scale.calibration().saveUnsaved();
            } catch (IllegalStateException notWritable) {
                LOG.warn("Scale {}: zero tracking's latest shift is not saved: {}", scale.deviceId(),
                        notWritable.getMessage());
            }
            scale.simulator().ifPresent(Hx711Simulator::close);
        });
    }

    /** The scale whose weigh-and-publish route this is. */
    public Optional<Scale> ofRoute(String routeId) {
        return all.stream().filter(scale -> scale.routeId().equals(routeId)).findFirst();
    }
}
