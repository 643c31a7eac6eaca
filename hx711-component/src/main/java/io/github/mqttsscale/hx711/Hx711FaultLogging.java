package io.github.mqttsscale.hx711;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a poll that failed for a sensor fault is logged: one line in the fault's own words (what to check, on which
 * pins). The scale tries again for as long as the fault lasts, which under a beehive may be weeks; the stack trace
 * says nothing the words do not, and goes to DEBUG. Anything else goes to the handler this one stands in front of
 * (Camel's, with its stack trace).
 */
final class Hx711FaultLogging implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Hx711Consumer.class);

    private final ExceptionHandler others;

    Hx711FaultLogging(ExceptionHandler others) {
        this.others = others;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exchange == null && exception instanceof Hx711Exception fault) {
            LOG.warn("{}: {}", message == null ? "HX711 reading failed" : message, fault.getMessage());
            LOG.debug("Where it failed", fault);
        } else {
            others.handleException(message, exchange, exception);
        }
    }
}
