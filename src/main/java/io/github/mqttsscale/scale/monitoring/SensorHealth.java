package io.github.mqttsscale.scale.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.github.mqttsscale.hx711.Hx711Counters;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * {@code sensor}: DOWN while a scale's hx711 route is not running or its last poll failed, with the reason, or while it
 * has no calibration to trust (under {@code calibration}, with how to calibrate it again); the
 * weights' problems (overload, zero tracking at its range, ...) under {@code problems}, and zero tracking's shift;
 * with several scales, the details of each under its device id.
 */
public class SensorHealth extends AbstractHealthIndicator {

    private final Scales scales;

    public SensorHealth(Scales scales) {
        super("Sensor health check failed");
        this.scales = scales;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        boolean up = true;
        for (Scale scale : scales.all()) {
            Map<String, Object> details = new LinkedHashMap<>();
            up &= check(scale, details);
            if (scales.several()) {
                health.withDetail(scale.deviceId(), details);
            } else {
                health.withDetails(details);
            }
        }
        if (up) {
            health.up();
        } else {
            health.down();
        }
    }

    private static boolean check(Scale scale, Map<String, Object> details) {
        Optional<String> problem = scale.loadCell().problem();
        problem.ifPresent(reason -> details.put("reason", reason));
        // no calibration to trust: the sensor reads, but the scale publishes no weight, so it is DOWN
        Optional<String> calibration = scale.calibration().damage();
        calibration.ifPresent(reason -> details.put("calibration", reason));
        // the weights' own problems (overload, zero tracking at its range, above the calibrated range) say what to do
        // but leave the sensor UP: it still weighs
        Map<String, String> weighing = scale.problems().now();
        if (!weighing.isEmpty()) {
            details.put("problems", weighing);
        }
        details.put("zeroShiftKg", scale.calibration().zeroShiftKg());
        scale.loadCell().consumer().ifPresent(consumer -> {
            Hx711Counters counters = consumer.counters();
            details.put("endpoint", consumer.getEndpoint().getEndpointUri());
            details.put("reads", counters.getReads());
            details.put("goodSamples", counters.getGoodSamples());
            details.put("timeouts", counters.getTimeouts());
        });
        return problem.isEmpty() && calibration.isEmpty();
    }
}
