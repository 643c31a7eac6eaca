package io.github.mqttsscale.scale.outbox;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;

/**
 * {@code outbox:<name>}: a route sending to it keeps the reading in the {@link Outbox}; a route starting from it
 * receives the kept readings, oldest first, once the broker is back (see {@link OutboxEndpoint}); {@code outbox:refused}
 * sets aside a reading the broker refused ({@link RefusedReadings}). Registered in Camel
 * under the name {@code outbox} (the Spring bean of that name is the outbox itself, which the route asks whether a
 * reading must wait).
 */
public class OutboxComponent extends DefaultComponent {

    private final Outbox outbox;
    private final BrokerConnection broker;
    private final RefusedReadings refused;

    public OutboxComponent(Outbox outbox, BrokerConnection broker, RefusedReadings refused) {
        this.outbox = outbox;
        this.broker = broker;
        this.refused = refused;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        OutboxEndpoint endpoint = new OutboxEndpoint(uri, this, remaining, outbox, broker, refused);
        setProperties(endpoint, parameters);
        if (endpoint.getSendRate() < 1) {
            throw new IllegalArgumentException("Invalid sendRate " + endpoint.getSendRate()
                    + ": must be 1 or more (kept readings sent per second)");
        }
        return endpoint;
    }
}
