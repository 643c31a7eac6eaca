package io.github.mqttsscale.scale.monitoring;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.github.mqttsscale.hx711.Hx711Consumer;
import io.github.mqttsscale.hx711.Hx711Counters;
import io.github.mqttsscale.scale.weighing.LoadCell;

/** {@code sensor}: DOWN while the hx711 route is not running or its last poll failed, with the reason. */
public class SensorHealth extends AbstractHealthIndicator {

    private final LoadCell loadCell;

    public SensorHealth(LoadCell loadCell) {
        super("Sensor health check failed");
        this.loadCell = loadCell;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        Hx711Consumer consumer = loadCell.consumer().orElse(null);
        if (consumer == null) {
            health.down().withDetail("reason", "no route reading from hx711: is the weigh-and-publish route running?");
            return;
        }
        String failure = consumer.getLastPollFailure();
        if (failure != null) {
            health.down().withDetail("reason", failure);
        } else {
            health.up();
        }
        Hx711Counters counters = consumer.counters();
        health.withDetail("endpoint", consumer.getEndpoint().getEndpointUri())
                .withDetail("reads", counters.getReads())
                .withDetail("goodSamples", counters.getGoodSamples())
                .withDetail("timeouts", counters.getTimeouts());
    }
}
