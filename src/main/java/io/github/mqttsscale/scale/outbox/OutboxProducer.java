package io.github.mqttsscale.scale.outbox;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

import io.github.mqttsscale.hx711.Hx711Constants;

/**
 * Keeps the exchange's reading in the outbox, forced to disk before the route moves on: the body (as bytes) is the
 * payload, {@link OutboxConstants#TOPIC} where it goes (required), {@link Hx711Constants#TIMESTAMP} when it was
 * taken (now when absent). A reading from the outbox ({@link OutboxConstants#KEPT_READING} set) stays where it is,
 * first in line. A reading that cannot be kept (full disk) fails the exchange.
 */
public class OutboxProducer extends DefaultProducer {

    private final Outbox outbox;

    OutboxProducer(OutboxEndpoint endpoint, Outbox outbox) {
        super(endpoint);
        this.outbox = outbox;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message reading = exchange.getMessage();
        outbox.keep(reading.getBody(byte[].class), reading.getHeader(Hx711Constants.TIMESTAMP, Instant.class),
                reading.getHeader(OutboxConstants.KEPT_READING, Long.class),
                reading.getHeader(OutboxConstants.TOPIC, String.class));
    }
}
