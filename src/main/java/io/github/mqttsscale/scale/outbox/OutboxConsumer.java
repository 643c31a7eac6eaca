package io.github.mqttsscale.scale.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.mqttsscale.hx711.Hx711Constants;
import io.github.mqttsscale.scale.mqtt.BrokerConnection;

/**
 * Hands the kept readings to its route once the broker is back: oldest first, one at a time, each taken out of the
 * outbox only when its exchange completed without an exception, caught or not (as Camel's file consumer commits a
 * file only then). While the broker is away or nothing waits, it sleeps until that changes: no CPU spent on an
 * outage, however long. The body is the payload as it was kept; the header {@link OutboxConstants#KEPT_READING} marks it as a
 * reading from the outbox, so that the publishing route does not keep it a second time.
 */
public class OutboxConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxConsumer.class);
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private final Outbox outbox;
    private final BrokerConnection broker;
    private final long pauseMillis;
    private ExecutorService executor;
    private volatile boolean running;

    OutboxConsumer(OutboxEndpoint endpoint, Processor processor, Outbox outbox, BrokerConnection broker) {
        super(endpoint, processor);
        this.outbox = outbox;
        this.broker = broker;
        this.pauseMillis = 1000L / endpoint.getSendRate();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "outbox");
        executor.execute(this::handOutWhileRunning);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        super.doStop();
    }

    private void handOutWhileRunning() {
        int sentInThisRun = 0;
        while (running && isRunAllowed()) {
            try {
                if (!broker.awaitConnected(IDLE_CHECK)) {
                    continue; // asleep while the broker is away: woken when it connects
                }
                Optional<Outbox.Next> oldest = outbox.oldest();
                if (oldest.isEmpty()) {
                    if (sentInThisRun > 0) {
                        LOG.info("Outbox empty: sent {} kept readings", sentInThisRun);
                        sentInThisRun = 0;
                    }
                    outbox.awaitReadings(IDLE_CHECK);
                    continue;
                }
                if (sentInThisRun == 0) {
                    LOG.info("Broker is back: sending {} kept readings, oldest first", outbox.getWaiting());
                }
                if (handOut(oldest.get())) {
                    outbox.delivered(oldest.get().number());
                    sentInThisRun++;
                    Thread.sleep(pauseMillis);
                } else {
                    Thread.sleep(IDLE_CHECK.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                getExceptionHandler().handleException("Outbox: cannot hand out a kept reading", e);
                try {
                    Thread.sleep(IDLE_CHECK.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** @return whether the route took the reading: its exchange completed and caught no exception on the way */
    private boolean handOut(Outbox.Next next) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(next.reading().payload());
            exchange.getMessage().setHeader(OutboxConstants.KEPT_READING, next.number());
            exchange.getMessage().setHeader(OutboxConstants.TOPIC, next.reading().topic());
            exchange.getMessage().setHeader(Hx711Constants.TIMESTAMP,
                    Instant.ofEpochMilli(next.reading().takenAtMillis()));
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        boolean taken = exchange.getException() == null && exchange.getProperty(Exchange.EXCEPTION_CAUGHT) == null;
        if (!taken) {
            Throwable why = exchange.getException() != null
                    ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            LOG.debug("Kept reading {} not sent yet: {}", next.number(), why == null ? "?" : why.getMessage());
        }
        releaseExchange(exchange, false);
        return taken;
    }
}
