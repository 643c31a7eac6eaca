package io.github.mqttsscale.scale.web;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.support.EventNotifierSupport;

import io.github.mqttsscale.scale.monitoring.FinishedReading;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/** Each scale's weights of the last minutes ({@code scale.status-page.history}), for the status page's plot. */
public class WeightHistories extends EventNotifierSupport {

    private final Scales scales;
    private final Map<String, WeightHistory> histories = new LinkedHashMap<>();

    public WeightHistories(Scales scales, StatusPageProperties statusPage, Clock clock) {
        this.scales = scales;
        scales.all().forEach(scale -> histories.put(scale.deviceId(), new WeightHistory(statusPage.history(), clock)));
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        FinishedReading.of(event, scales).ifPresent(reading -> history(reading.scale()).add(reading.weight()));
    }

    /** The weights this scale read in the last minutes. */
    public WeightHistory history(Scale scale) {
        return histories.get(scale.deviceId());
    }
}
