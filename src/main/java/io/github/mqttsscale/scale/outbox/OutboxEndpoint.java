package io.github.mqttsscale.scale.outbox;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;

/** The kept readings of the outbox as a source of exchanges; see {@link OutboxConsumer}. */
public class OutboxEndpoint extends DefaultEndpoint {

    private final Outbox outbox;
    private final BrokerConnection broker;
    private int sendRate = 100;

    OutboxEndpoint(String uri, OutboxComponent component, Outbox outbox, BrokerConnection broker) {
        super(uri, component);
        this.outbox = outbox;
        this.broker = broker;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("The outbox endpoint only hands out kept readings: readings are kept"
                + " with the bean outbox (method keep), not sent to outbox:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        OutboxConsumer consumer = new OutboxConsumer(this, processor, outbox, broker);
        configureConsumer(consumer);
        return consumer;
    }

    public int getSendRate() {
        return sendRate;
    }

    /**
     * Kept readings handed out per second at most, so that a long backlog does not crowd out the live readings or the
     * broker; it must stay above the rate readings are taken at, or the outbox never empties.
     */
    public void setSendRate(int sendRate) {
        this.sendRate = sendRate;
    }
}
