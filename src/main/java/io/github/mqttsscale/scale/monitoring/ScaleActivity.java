package io.github.mqttsscale.scale.monitoring;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.github.mqttsscale.hx711.Hx711Constants;
import io.github.mqttsscale.scale.mqtt.Topics;
import io.github.mqttsscale.scale.outbox.OutboxConstants;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.ScaleHeaders;
import io.github.mqttsscale.scale.weighing.Scales;
import io.github.mqttsscale.scale.weighing.WeightEvent;

/**
 * Watches the routes without being a step in them: every finished reading (its {@link ScaleHeaders#WEIGHT} header)
 * is its scale's latest weight; every weight the broker took is a publish, counted and timed
 * ({@code scale.published{source=live|outbox}}, {@code scale.publish.latency}) and kept as its scale's last publish,
 * whatever topic the route YAML gives it. A weight is what an MQTT endpoint was sent by a scale's weighing route (a
 * live reading, with its {@link ScaleHeaders#WEIGHT}), or a kept reading on a topic such a reading went to. A live
 * publish is also
 * timed from the sensor's data-ready ({@code scale.reading.latency}: the HX711 header
 * {@link Hx711Constants#DATA_READY}, a {@code System.nanoTime()} of this JVM, to the broker's acknowledgement,
 * which the QoS 1 send waited for), with its median and 99th percentile.
 */
public class ScaleActivity extends EventNotifierSupport {

    /** The last weight that went out, and when. */
    public record Publish(Instant at, Object weight) {
    }

    private final Scales scales;
    private final Map<String, BigDecimal> latestWeightByScale = new ConcurrentHashMap<>();
    private final List<Consumer<FinishedReading>> readingWatchers = new CopyOnWriteArrayList<>();
    private final Map<String, Publish> lastPublishByScale = new ConcurrentHashMap<>();
    private final Map<String, WeightEvent> lastEventByScale = new ConcurrentHashMap<>();
    /** The scale whose route last sent to a topic: a kept reading knows its topic only. */
    private final Map<String, String> scaleByTopic = new ConcurrentHashMap<>();
    private final Counter publishedLive;
    private final Counter publishedKept;
    private final Timer latency;
    private final Timer readingLatency;

    public ScaleActivity(Scales scales, MeterRegistry meters) {
        this.scales = scales;
        scales.all().forEach(scale -> scaleByTopic.put(scale.weightTopic(), scale.deviceId()));
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
            if (sent.getEndpoint() instanceof PahoMqtt5Endpoint && exchange.getException() == null) {
                weighedBy(exchange).ifPresent(deviceId -> published(sent, deviceId));
            }
        } else {
            FinishedReading.of(event, scales).ifPresent(reading -> {
                latestWeightByScale.put(reading.scale().deviceId(), reading.weight());
                if (reading.event() != null) {
                    lastEventByScale.put(reading.scale().deviceId(), reading.event());
                }
                readingWatchers.forEach(watcher -> watcher.accept(reading));
            });
        }
    }

    /** The scale whose weight this exchange sent to the broker, if it is one. */
    private Optional<String> weighedBy(Exchange exchange) {
        Object topic = exchange.getMessage().getHeader(ScaleHeaders.TOPIC);
        Optional<Scale> live = exchange.getMessage().getHeader(ScaleHeaders.WEIGHT) != null
                ? scales.ofRoute(exchange.getFromRouteId())
                : Optional.empty();
        if (live.isPresent() && new Topics(live.get().deviceId()).event().equals(topic)) {
            return Optional.empty(); // the reading's weight event, sent after its weight
        }
        if (live.isPresent()) {
            if (topic instanceof String liveTopic) {
                scaleByTopic.put(liveTopic, live.get().deviceId());
            }
            return live.map(Scale::deviceId);
        }
        return exchange.getMessage().getHeader(OutboxConstants.KEPT_READING) != null && topic instanceof String kept
                ? Optional.ofNullable(scaleByTopic.get(kept))
                : Optional.empty();
    }

    private void published(ExchangeSentEvent sent, String deviceId) {
        Exchange exchange = sent.getExchange();
        latency.record(sent.getTimeTaken(), TimeUnit.MILLISECONDS);
        if (exchange.getMessage().getHeader(OutboxConstants.KEPT_READING) != null) {
            publishedKept.increment();
        } else {
            publishedLive.increment();
            if (exchange.getMessage().getHeader(Hx711Constants.DATA_READY) instanceof Long dataReady) {
                readingLatency.record(System.nanoTime() - dataReady, TimeUnit.NANOSECONDS);
            }
        }
        lastPublishByScale.put(deviceId,
                new Publish(Instant.now(), exchange.getMessage().getHeader(ScaleHeaders.WEIGHT)));
    }

    /** The last weight of this scale that went out. */
    public Optional<Publish> lastPublish(Scale scale) {
        return Optional.ofNullable(lastPublishByScale.get(scale.deviceId()));
    }

    /** The last weight event of this scale (detected: it may still wait in the outbox). */
    public Optional<WeightEvent> lastEvent(Scale scale) {
        return Optional.ofNullable(lastEventByScale.get(scale.deviceId()));
    }

    /** Tells the watcher of every reading a scale's weighing route finished with, published or not. */
    public void watchReadings(Consumer<FinishedReading> watcher) {
        readingWatchers.add(watcher);
    }

    /** The last weight this scale read, published or not. */
    public Optional<BigDecimal> latestWeight(Scale scale) {
        return Optional.ofNullable(latestWeightByScale.get(scale.deviceId()));
    }

    /** Weights the broker acknowledged, live and from the outbox. */
    public long publishedCount() {
        return (long) (publishedLive.count() + publishedKept.count());
    }
}
