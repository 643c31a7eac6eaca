package io.github.mqttsscale.scale.operations;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

import io.github.mqttsscale.hx711.Hx711Constants;
import io.github.mqttsscale.hx711.Hx711Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Watches the routes without being a step in them: every finished reading (its {@code weight} header) goes
 * into the {@link WeightHistory}; every send to the weight topic is a publish, counted and timed
 * ({@code scale.published{source=live}}, {@code scale.publish.latency}) and kept as the last publish. A live publish is also
 * timed from the sensor's data-ready ({@code scale.reading.latency}: the HX711 header
 * {@link Hx711Constants#DATA_READY}, a {@code System.nanoTime()} of this JVM, to the broker's acknowledgement,
 * which the QoS 1 send waited for), with its median and 99th percentile.
 */
public class ScaleActivity extends EventNotifierSupport {

    /** The last weight that went out, and when. */
    public record Publish(Instant at, Object weight) {
    }

    private final String weightTopic;
    private final WeightHistory history;
    private final Counter published;
    private final Timer latency;
    private final Timer readingLatency;
    private volatile Publish lastPublish;

    public ScaleActivity(String weightTopic, WeightHistory history, MeterRegistry meters) {
        this.weightTopic = weightTopic;
        this.history = history;
        this.published = Counter.builder("scale.published").tag("source", "live")
                .description("Weights published to the broker").register(meters);
        this.latency = Timer.builder("scale.publish.latency").description("Time to hand a weight to the broker")
                .register(meters);
        this.readingLatency = Timer.builder("scale.reading.latency")
                .description("From the sensor's data-ready to the broker's acknowledgement of the published weight")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSentEvent sent) {
            Exchange exchange = sent.getExchange();
            if (isWeightTopic(sent.getEndpoint()) && exchange.getException() == null) {
                latency.record(sent.getTimeTaken(), TimeUnit.MILLISECONDS);
                if (exchange.getMessage().getHeader(Hx711Constants.DATA_READY) instanceof Long dataReady) {
                    readingLatency.record(System.nanoTime() - dataReady, TimeUnit.NANOSECONDS);
                }
                published.increment();
                lastPublish = new Publish(Instant.now(), exchange.getMessage().getHeader("weight"));
            }
        } else if (event.getType() == CamelEvent.Type.ExchangeCompleted || event.getType() == CamelEvent.Type.ExchangeFailed) {
            Exchange exchange = ((ExchangeEvent) event).getExchange();
            if (exchange.getFromEndpoint() instanceof Hx711Endpoint
                    && exchange.getMessage().getHeader("weight") instanceof BigDecimal weight) {
                history.add(weight);
            }
        }
    }

    private boolean isWeightTopic(Endpoint endpoint) {
        return endpoint instanceof PahoMqtt5Endpoint paho && weightTopic.equals(paho.getTopic());
    }

    public Optional<Publish> lastPublish() {
        return Optional.ofNullable(lastPublish);
    }

    public long publishedCount() {
        return (long) published.count();
    }
}
