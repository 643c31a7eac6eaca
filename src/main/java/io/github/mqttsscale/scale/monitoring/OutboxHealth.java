package io.github.mqttsscale.scale.monitoring;

import java.util.Map;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.outbox.RefusedReadings;

/**
 * {@code outbox}: the readings waiting for the broker and what became of the others since start, and under
 * {@code refused} those the broker refused and that were set aside (how many wait for resend-refused, the count per
 * reason, the last reason and topic). UP: an outage or a refusal is the broker's side, which {@code broker} shows;
 * the storage behind the outbox is {@code storage}.
 */
public class OutboxHealth extends AbstractHealthIndicator {

    private final Outbox outbox;
    private final RefusedReadings refused;

    public OutboxHealth(Outbox outbox, RefusedReadings refused) {
        super("Outbox health check failed");
        this.outbox = outbox;
        this.refused = refused;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        health.up().withDetail("waiting", outbox.getWaiting()).withDetail("dropped", outbox.getDropped())
                .withDetail("lost", outbox.getLost());
        Map<String, Object> setAside = refused.summary();
        if (!setAside.isEmpty()) {
            health.withDetail("refused", setAside);
        }
    }
}
