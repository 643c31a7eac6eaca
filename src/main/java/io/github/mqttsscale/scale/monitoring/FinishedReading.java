package io.github.mqttsscale.scale.monitoring;

import java.math.BigDecimal;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;

import io.github.mqttsscale.hx711.Hx711Endpoint;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.ScaleHeaders;
import io.github.mqttsscale.scale.weighing.Scales;
import io.github.mqttsscale.scale.weighing.WeightEvent;

/**
 * A reading a scale's weighing route finished with (published or not): the scale, what it weighed, and the weight
 * event it made (step detect-weight-event), or null.
 */
public record FinishedReading(Scale scale, BigDecimal weight, WeightEvent event) {

    /** The reading this event finished, if it finished one. */
    public static Optional<FinishedReading> of(CamelEvent event, Scales scales) {
        if (event.getType() != CamelEvent.Type.ExchangeCompleted && event.getType() != CamelEvent.Type.ExchangeFailed) {
            return Optional.empty();
        }
        Exchange exchange = ((ExchangeEvent) event).getExchange();
        if (exchange.getFromEndpoint() instanceof Hx711Endpoint
                && exchange.getMessage().getHeader(ScaleHeaders.WEIGHT) instanceof BigDecimal weight) {
            WeightEvent made = exchange.getMessage().getHeader(ScaleHeaders.WEIGHT_EVENT, WeightEvent.class);
            return scales.ofRoute(exchange.getFromRouteId()).map(scale -> new FinishedReading(scale, weight, made));
        }
        return Optional.empty();
    }
}
