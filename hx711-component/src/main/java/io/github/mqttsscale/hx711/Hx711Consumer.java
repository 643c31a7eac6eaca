package io.github.mqttsscale.hx711;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reading per poll. A reading that fails for a sensor fault throws, so the scheduler's error handling and backoff
 * apply; one that fails only because the machine was too busy for the chip's timing does not: backing off would
 * only give the clocking code fewer chances to run fast.
 */
@ManagedResource(description = "HX711 consumer")
public class Hx711Consumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(Hx711Consumer.class);
    private static final Hx711Counters NOTHING_YET = new Hx711Counters();
    private static final long TIMING_WARNING_EVERY_NANOS = 60_000_000_000L;

    private Hx711Wire wire;
    private long lastTimingWarningNanos;
    private volatile Hx711Driver driver;
    /** Why the last poll failed; null after a good one (and before the first). */
    private volatile String lastPollFailure;

    public Hx711Consumer(Hx711Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        // the endpoint's exceptionHandler option, when set, replaces this one
        setExceptionHandler(new Hx711FaultLogging(getExceptionHandler()));
    }

    @Override
    public Hx711Endpoint getEndpoint() {
        return (Hx711Endpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        wire = getEndpoint().acquireWire();
        driver = new Hx711Driver(wire, getEndpoint().settings(),
                getEndpoint().getComponent().chipTooSlowWindow(getEndpoint().getName()));
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        Hx711Driver stopping = driver;
        if (stopping != null) {
            // the scheduler's poll (or a readNow) may be mid-read: the wire goes to the next consumer, as on a route
            // reload, only once the chip is between two reads
            stopping.close();
        }
        if (wire != null) {
            getEndpoint().releaseWire(wire);
            wire = null;
        }
    }

    @Override
    protected int poll() throws Exception {
        Hx711Reading reading;
        try {
            reading = driver.read();
            lastPollFailure = null;
        } catch (Hx711TimingException e) {
            lastPollFailure = e.getMessage();
            warnAboutTiming(e);
            return 0;
        } catch (RuntimeException e) {
            lastPollFailure = e.getMessage();
            throw e;
        }
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            message.setBody(reading.raw());
            message.setHeader(Hx711Constants.TIMESTAMP, reading.timestamp());
            message.setHeader(Hx711Constants.DATA_READY, reading.dataReadyNanos());
            message.setHeader(Hx711Constants.GAIN, reading.gain());
            message.setHeader(Hx711Constants.CHANNEL, reading.channel());
            message.setHeader(Hx711Constants.COUNTS, reading.counts());
            message.setHeader(Hx711Constants.LOWEST_SAMPLE, reading.lowest());
            message.setHeader(Hx711Constants.HIGHEST_SAMPLE, reading.highest());
            message.setHeader(Hx711Constants.SAMPLES_USED, reading.samplesUsed());
            message.setHeader(Hx711Constants.SAMPLES_REJECTED, reading.samplesRejected());
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing HX711 reading", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
        return 1;
    }

    private void warnAboutTiming(Hx711TimingException e) {
        if (driver.tooSlowForGpio().isPresent()) {
            // said once, and shown while it lasts (getTooSlowForGpio): repeating it every minute adds nothing
            LOG.debug("{}", e.getMessage());
            return;
        }
        long now = System.nanoTime();
        if (lastTimingWarningNanos == 0 || now - lastTimingWarningNanos > TIMING_WARNING_EVERY_NANOS) {
            lastTimingWarningNanos = now;
            LOG.warn("{} (the machine was too busy to keep the clock-high phases under the limit; trying again at the"
                    + " next poll. Clock-high phases so far: {})", e.getMessage(), driver.clockHighHistogram());
        }
    }

    /**
     * A fresh reading now, besides the scheduled polls (e.g. to tare): the driver serializes the two, so this waits
     * for a poll in progress and then reads new samples.
     *
     * @throws Hx711Exception when the consumer is not started or the chip gives no good reading
     */
    public Hx711Reading readNow() {
        Hx711Driver current = driver;
        if (current == null || !isRunAllowed()) {
            throw new Hx711Exception("the HX711 consumer of " + getEndpoint().getEndpointUri() + " is not running");
        }
        return current.read();
    }

    /** What the driver has counted since the consumer started. */
    public Hx711Counters counters() {
        Hx711Driver current = driver;
        return current != null ? current.counters() : NOTHING_YET;
    }

    @ManagedAttribute(
            description = "The chip it reads: wiring, gain, samples per reading and how they are combined, rate"
                    + " (the endpoint's options over the settings the application gives its name)")
    public String getChip() {
        return getEndpoint().settings().describe();
    }

    @ManagedAttribute(description = "Why the last poll failed; empty after a good one")
    public String getLastPollFailure() {
        return lastPollFailure;
    }

    @ManagedAttribute(description = "Readings attempted")
    public long getReads() {
        return counters().getReads();
    }

    @ManagedAttribute(description = "Good samples used or usable")
    public long getGoodSamples() {
        return counters().getGoodSamples();
    }

    @ManagedAttribute(description = "Samples rejected, by reason: timing (a clock-high phase over the limit, the chip"
            + " may have powered down), saturated (0x7FFFFF or 0x800000), all_ones (floating"
            + " DOUT; no longer given: 0xFFFFFF is -1), stuck_low (DOUT low after the 25th pulse), noise (on SPI, the"
            + " two reads of a bit disagree: a floating MISO)")
    public java.util.Map<String, Long> getRejectedSamples() {
        return counters().rejectedByReason();
    }

    @ManagedAttribute(description = "Samples discarded while the chip settled after power-up or a gain change")
    public long getDiscardedUnsettled() {
        return counters().getDiscardedUnsettled();
    }

    @ManagedAttribute(description = "Samples not used because the next conversion may have overtaken the read")
    public long getDiscardedStale() {
        return counters().getDiscardedStale();
    }

    @ManagedAttribute(
            description = "Clock-outs rehearsed without clock edges so that the JVM compiles the clocking code")
    public long getRehearsals() {
        return counters().getRehearsals();
    }

    @ManagedAttribute(description = "How long PD_SCK stayed high, pulse by pulse: the margin to the chip's 60 µs")
    public String getClockHighHistogram() {
        Hx711Driver current = driver;
        return current != null ? current.clockHighHistogram().toString() : "";
    }

    /**
     * What is wrong when the chip converts at another rate than the option rate says (measured from when DOUT signals
     * data ready); empty while they agree, before it is measured, and while the consumer is not started.
     */
    @ManagedAttribute(description = "The chip converts at another rate than the option rate says (measured): what to"
            + " fix; empty while they agree")
    public String getRateMismatch() {
        Hx711Driver current = driver;
        return current != null ? current.rateMismatch().orElse("") : "";
    }

    /**
     * What is wrong, and how to fix it, while this machine cannot keep the GPIO wiring's clock-high phases under the
     * chip's limit (most samples rejected for clock timing over a minute): the SPI wiring, with the pins to move.
     * Empty otherwise, with the SPI wiring, and while the consumer is not started.
     */
    @ManagedAttribute(description = "This machine cannot keep the GPIO wiring's clock pulses under the chip's limit"
            + " (most samples rejected for clock timing over a minute): what it measured and the SPI wiring that fixes"
            + " it; empty otherwise")
    public String getTooSlowForGpio() {
        Hx711Driver current = driver;
        return current != null ? current.tooSlowForGpio().orElse("") : "";
    }

    @ManagedAttribute(description = "Waits for data ready that timed out")
    public long getTimeouts() {
        return counters().getTimeouts();
    }
}
