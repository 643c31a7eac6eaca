package io.github.mqttsscale.scale.outbox;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;

/**
 * The {@link Outbox} in the routes: {@code to: outbox:kept-readings} keeps the reading ({@link OutboxProducer}),
 * {@code from: outbox:kept-readings} hands the kept readings out once the broker is back ({@link OutboxConsumer}).
 */
@UriEndpoint(scheme = "outbox", syntax = "outbox:name", remote = false, title = "Outbox", category = Category.CORE,
        headersClass = OutboxConstants.class, firstVersion = "0.1.0")
public class OutboxEndpoint extends DefaultEndpoint {

    private final Outbox outbox;
    private final BrokerConnection broker;
    private final RefusedReadings refused;
    @UriPath
    @Metadata(required = true)
    private String name;
    @UriParam(label = "consumer", defaultValue = "100")
    private int sendRate = 100;

    OutboxEndpoint(String uri, OutboxComponent component, String name, Outbox outbox, BrokerConnection broker,
            RefusedReadings refused) {
        super(uri, component);
        this.name = name;
        this.outbox = outbox;
        this.broker = broker;
        this.refused = refused;
    }

    @Override
    public Producer createProducer() {
        if (OutboxConstants.REFUSED.equals(name)) {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) throws Exception {
                    refused.setAside(exchange);
                }
            };
        }
        return new OutboxProducer(this, outbox);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (OutboxConstants.REFUSED.equals(name)) {
            throw new IllegalArgumentException("outbox:refused only sets readings aside (to:); the command "
                    + "resend-refused sends them again through from: outbox:kept-readings");
        }
        OutboxConsumer consumer = new OutboxConsumer(this, processor, outbox, broker, refused);
        configureConsumer(consumer);
        return consumer;
    }

    /** It keeps readings on this machine's disk: Camel and Hawtio list it as local. */
    @Override
    public boolean isRemote() {
        return false;
    }

    public String getName() {
        return name;
    }

    /**
     * What the endpoint is for in the route, {@code kept-readings} in routes/scale.camel.yaml: every name reaches the
     * one outbox of the scale, which holds the readings of all its scales, except {@code refused}, which sets aside a
     * reading the broker refused for good (routes/scale.camel.yaml, route set-aside-refused).
     */
    public void setName(String name) {
        this.name = name;
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
