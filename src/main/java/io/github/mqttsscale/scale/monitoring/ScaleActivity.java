package io.github.mqttsscale.scale.monitoring;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.github.mqttsscale.hx711.Hx711Constants;
import io.github.mqttsscale.hx711.Hx711Endpoint;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.outbox.OutboxConsumer;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * Watches the routes without being a step in them: every finished reading (its {@code weight} header) goes
 * into its scale's {@link WeightHistory}; every send by the route step {@value #PUBLISH_STEP} is a publish, counted and timed
 * ({@code scale.published{source=live|outbox}}, {@code scale.publish.latency}) and kept as its scale's last publish,
 * whatever topic the route YAML gives that step. A live publish is also
 * timed from the sensor's data-ready ({@code scale.reading.latency}: the HX711 header
 * {@link Hx711Constants#DATA_READY}, a {@code System.nanoTime()} of this JVM, to the broker's acknowledgement,
 * which the QoS 1 send waited for), with its median and 99th percentile.
 */
public class ScaleActivity extends EventNotifierSupport {

    /** The last weight that went out, and when. */
    public record Publish(Instant at, Object weight) {
    }

    /** The id of the step in routes/scale.camel.yaml that sends a weight to the broker, live or from the outbox. */
    public static final String PUBLISH_STEP = "send-to-broker";

    private final Scales scales;
    private final Map<String, WeightHistory> histories = new LinkedHashMap<>();
    private final Map<String, Publish> lastPublishByScale = new ConcurrentHashMap<>();
    /** The scale whose route last sent to a topic: a kept reading knows its topic only. */
    private final Map<String, String> scaleByTopic = new ConcurrentHashMap<>();
    private final Counter publishedLive;
    private final Counter publishedKept;
    private final Timer latency;
    private final Timer readingLatency;

    public ScaleActivity(Scales scales, Duration historySpan, Clock clock, MeterRegistry meters) {
        this.scales = scales;
        for (Scale scale : scales.all()) {
            histories.put(scale.deviceId(), new WeightHistory(historySpan, clock));
            scaleByTopic.put(scale.weightTopic(), scale.deviceId());
        }
        this.publishedLive = Counter.builder("scale.published").tag("source", "live")
                .description("Weights published to the broker").register(meters);
        this.publishedKept = Counter.builder("scale.published").tag("source", "outbox")
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
            if (PUBLISH_STEP.equals(exchange.getExchangeExtension().getHistoryNodeId())
                    && exchange.getException() == null) {
                latency.record(sent.getTimeTaken(), TimeUnit.MILLISECONDS);
                if (exchange.getMessage().getHeader(OutboxConsumer.KEPT_READING) != null) {
                    publishedKept.increment();
                } else {
                    publishedLive.increment();
                    if (exchange.getMessage().getHeader(Hx711Constants.DATA_READY) instanceof Long dataReady) {
                        readingLatency.record(System.nanoTime() - dataReady, TimeUnit.NANOSECONDS);
                    }
                }
                if (exchange.getMessage().getHeader(Outbox.TOPIC) instanceof String topic) {
                    Optional<Scale> live = scales.ofRoute(exchange.getFromRouteId());
                    live.ifPresent(scale -> scaleByTopic.put(topic, scale.deviceId()));
                    String deviceId = live.map(Scale::deviceId).orElseGet(() -> scaleByTopic.get(topic));
                    if (deviceId != null) {
                        lastPublishByScale.put(deviceId,
                                new Publish(Instant.now(), exchange.getMessage().getHeader("weight")));
                    }
                }
            }
        } else if (event.getType() == CamelEvent.Type.ExchangeCompleted
                || event.getType() == CamelEvent.Type.ExchangeFailed) {
            Exchange exchange = ((ExchangeEvent) event).getExchange();
            if (exchange.getFromEndpoint() instanceof Hx711Endpoint
                    && exchange.getMessage().getHeader("weight") instanceof BigDecimal weight) {
                scales.ofRoute(exchange.getFromRouteId()).ifPresent(scale -> history(scale).add(weight));
            }
        }
    }

    /** The last weight of this scale that went out. */
    public Optional<Publish> lastPublish(Scale scale) {
        return Optional.ofNullable(lastPublishByScale.get(scale.deviceId()));
    }

    /** The weights this scale read in the last minutes. */
    public WeightHistory history(Scale scale) {
        return histories.get(scale.deviceId());
    }

    /** Weights the broker acknowledged, live and from the outbox. */
    public long publishedCount() {
        return (long) (publishedLive.count() + publishedKept.count());
    }
}
