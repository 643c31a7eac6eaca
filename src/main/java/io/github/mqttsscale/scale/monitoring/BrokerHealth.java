package io.github.mqttsscale.scale.monitoring;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;

/**
 * {@code broker}: UP while connected and taking the scale's publishes; DOWN with the reason of the last failed attempt
 * or lost connection, or with what the broker refuses (e.g. not authorized to publish to the weight topic).
 */
public class BrokerHealth extends AbstractHealthIndicator {

    private final BrokerConnection broker;

    public BrokerHealth(BrokerConnection broker) {
        super("Broker health check failed");
        this.broker = broker;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        health.withDetail("url", broker.url());
        String problem = broker.problem();
        if (broker.isConnected()) {
            health.withDetail("connectedSince", String.valueOf(broker.connectedSince()));
        }
        if (broker.isConnected() && problem == null) {
            health.up();
        } else {
            health.down().withDetail("reason", problem != null ? problem : "not connected yet");
        }
    }
}
