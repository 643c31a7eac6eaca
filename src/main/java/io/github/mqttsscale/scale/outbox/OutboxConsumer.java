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
import io.github.mqttsscale.scale.mqtt.PublishRefusedException;

/**
 * Hands the kept readings to its route once the broker is back: oldest first, one at a time, each taken out of the
 * outbox only when its exchange completed without an exception, caught or not (as Camel's file consumer commits a
 * file only then), or once the route set it aside as refused ({@link RefusedReadings}): a reading the broker refuses
 * for a reason that may pass is tried again 1, 2, 4, 8 and 16 s later, then set aside. While the broker is away or nothing waits, it sleeps until that changes: no CPU spent on an
 * outage, however long. The body is the payload as it was kept; the header {@link OutboxConstants#KEPT_READING} marks it as a
 * reading from the outbox, so that the publishing route does not keep it a second time.
 */
public class OutboxConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxConsumer.class);
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private final Outbox outbox;
    private final BrokerConnection broker;
    private final RefusedReadings refused;
    private final Tries tries = new Tries();
    private final long pauseMillis;
    private ExecutorService executor;
    private volatile boolean running;

    OutboxConsumer(OutboxEndpoint endpoint, Processor processor, Outbox outbox, BrokerConnection broker,
            RefusedReadings refused) {
        super(endpoint, processor);
        this.outbox = outbox;
        this.broker = broker;
        this.refused = refused;
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
                Optional<Outbox.Next> oldest = oldestReadable();
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
                Outbox.Next next = oldest.get();
                int attempt = tries.next(next.number());
                switch (handOut(next, attempt)) {
                    case TAKEN -> {
                        outbox.delivered(next.number());
                        sentInThisRun++;
                        Thread.sleep(pauseMillis);
                    }
                    case SET_ASIDE -> outbox.setAside(next.number());
                    case REFUSED -> Thread.sleep(Tries.backoff(attempt).toMillis());
                    case FAILED -> Thread.sleep(IDLE_CHECK.toMillis());
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

    /**
     * The oldest kept reading; one that cannot be read back (a disk error) is tried again, spaced out, and after
     * {@link RefusedReadings#MAX_ATTEMPTS} tries taken out, so that the readings behind it go on.
     */
    private Optional<Outbox.Next> oldestReadable() throws InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                return outbox.oldest();
            } catch (RuntimeException e) {
                if (attempt >= RefusedReadings.MAX_ATTEMPTS) {
                    LOG.warn("The oldest kept reading cannot be read back after {} tries ({}): taken out of the "
                            + "outbox, its bytes kept in outbox/damaged, so that the readings behind it go on",
                            attempt, e.getMessage());
                    outbox.setAsideUnreadable();
                    refused.countUnreadable(String.valueOf(e.getMessage()));
                    attempt = 0;
                    continue;
                }
                getExceptionHandler().handleException("Outbox: cannot read the oldest kept reading (try " + attempt
                        + " of " + RefusedReadings.MAX_ATTEMPTS + ")", e);
                Thread.sleep(Tries.backoff(attempt).toMillis());
            }
        }
    }

    private enum Outcome {
        /** the broker acknowledged it */
        TAKEN,
        /** the route set it aside as refused */
        SET_ASIDE,
        /** the broker refused it for a reason that may pass: tried again, spaced out */
        REFUSED,
        /** not sent (connection lost, timeout): tried again once the broker is back */
        FAILED
    }

    private Outcome handOut(Outbox.Next next, int attempt) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(next.reading().payload());
            exchange.getMessage().setHeader(OutboxConstants.KEPT_READING, next.number());
            exchange.getMessage().setHeader(OutboxConstants.ATTEMPT, attempt);
            exchange.getMessage().setHeader(OutboxConstants.TOPIC, next.reading().topic());
            exchange.getMessage().setHeader(Hx711Constants.TIMESTAMP,
                    Instant.ofEpochMilli(next.reading().takenAtMillis()));
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Throwable why = exchange.getException() != null
                ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Outcome outcome;
        if (exchange.getException() == null && exchange.getProperty(OutboxConstants.SET_ASIDE, false, Boolean.class)) {
            outcome = Outcome.SET_ASIDE;
        } else if (why == null) {
            outcome = Outcome.TAKEN;
        } else {
            outcome = why instanceof PublishRefusedException ? Outcome.REFUSED : Outcome.FAILED;
            LOG.debug("Kept reading {} not sent yet (try {}): {}", next.number(), attempt, why.getMessage());
        }
        releaseExchange(exchange, false);
        return outcome;
    }

    /** The tries of the oldest kept reading, counted while it stays the oldest. */
    private static final class Tries {

        private long number = -1;
        private int count;

        int next(long readingNumber) {
            if (readingNumber != number) {
                number = readingNumber;
                count = 0;
            }
            return ++count;
        }

        /** 1, 2, 4, 8, 16 s after the 1st to 5th try. */
        static Duration backoff(int attempt) {
            return Duration.ofSeconds(1L << Math.min(attempt - 1, 5));
        }
    }
}
