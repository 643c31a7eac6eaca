package io.github.mqttsscale.scale.health;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;

/** {@code broker}: UP while connected, DOWN with the reason of the last failed attempt or lost connection. */
public class BrokerHealth extends AbstractHealthIndicator {

    private final BrokerConnection broker;

    public BrokerHealth(BrokerConnection broker) {
        super("Broker health check failed");
        this.broker = broker;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        health.withDetail("url", broker.url());
        if (broker.isConnected()) {
            health.up().withDetail("connectedSince", String.valueOf(broker.connectedSince()));
        } else {
            String problem = broker.lastProblem();
            health.down().withDetail("reason", problem != null ? problem : "not connected yet");
        }
    }
}
