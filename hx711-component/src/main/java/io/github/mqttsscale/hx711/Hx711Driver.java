package io.github.mqttsscale.hx711;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an HX711 by bit-banging two Pi4J pins. Usable without Camel.
 * <p>
 * Linux may pause this thread at any moment. The HX711 punishes that: a clock-high phase of 60 µs powers it down
 * and the bits clocked after that are garbage. So every clock-high phase is timed and a sample with a long one is
 * thrown away, and every sample is checked for the values only faults produce. A reading is the median of several
 * good samples, or an exception: never a made-up value.
 * <p>
 * Not for concurrent use by design of the chip; the public methods are synchronized so a misuse waits instead of
 * interleaving clock pulses.
 */
public final class Hx711Driver {

    private static final Logger LOG = LoggerFactory.getLogger(Hx711Driver.class);

    /** Short parks keep the CPU free while waiting up to 100 ms for a conversion, yet notice it within ~0.3 ms. */
    private static final long READY_POLL_NANOS = 250_000;
    private static final long MIN_POWER_DOWN_NANOS = 100_000;
    private static final int DATA_BITS = 24;
    private static final int FLOATING_DOUT = 0xFFFFFF;
    private static final int POSITIVE_SATURATION = 0x7FFFFF;
    private static final int NEGATIVE_SATURATION = 0x800000;
    private static final int WARM_UP_GOOD_IN_A_ROW = 3;
    private static final int WARM_UP_ATTEMPTS = 30;

    private final DigitalOutput clock;
    private final DigitalInput data;
    private final Hx711Counters counters = new Hx711Counters();
    private Hx711Settings settings;

    // What the driver knows about the chip. chipGain null = unknown (at start, or after a read the chip may have
    // half-missed): the next sample is then discarded and its pulses set a known gain.
    private Hx711Gain chipGain;
    private long settledAtNanos;
    private long lastHighSeenNanos;
    private boolean poweredDown;

    public Hx711Driver(DigitalOutput clock, DigitalInput data, Hx711Settings settings) {
        this.clock = clock;
        this.data = data;
        this.settings = settings;
        this.settledAtNanos = System.nanoTime();
        this.lastHighSeenNanos = settledAtNanos;
        clock.low();
    }

    public synchronized Hx711Settings settings() {
        return settings;
    }

    /** Changes channel/gain for the following reads; the chip then needs its settling time again. */
    public synchronized void setGain(Hx711Gain gain) {
        settings = settings.withGain(gain);
    }

    public Hx711Counters counters() {
        return counters;
    }

    public synchronized boolean isPoweredDown() {
        return poweredDown;
    }

    /**
     * One reading: the median of {@code samples} good samples.
     *
     * @throws Hx711NotReadyException when the chip does not signal data ready in time
     * @throws Hx711Exception         when too many samples had to be rejected, saying how many and why
     */
    public synchronized Hx711Reading read() {
        counters.countRead();
        int wanted = settings.samples();
        int maxAttempts = 3 * wanted + 5;
        int[] good = new int[wanted];
        int used = 0;
        int attempts = 0;
        long lastDataReady = 0;
        Map<Hx711RejectReason, Integer> rejected = new EnumMap<>(Hx711RejectReason.class);
        String lastRejection = null;
        while (used < wanted) {
            if (attempts == maxAttempts) {
                throw new Hx711Exception(tooManyRejections(used, attempts, rejected, lastRejection));
            }
            attempts++;
            try {
                Hx711Sample sample = readSample();
                good[used++] = sample.raw();
                lastDataReady = sample.dataReadyNanos();
            } catch (Hx711SampleRejectedException e) {
                rejected.merge(e.reason(), 1, Integer::sum);
                lastRejection = e.getMessage();
            }
        }
        Hx711Gain gain = settings.gain();
        return new Hx711Reading(Median.of(good, used), Instant.now(), lastDataReady, gain.gain(), gain.channel(), used,
                attempts - used);
    }

    /**
     * One good sample at the configured gain, waiting out any settling time first.
     *
     * @throws Hx711SampleRejectedException when the sample is unusable (the reason says why)
     * @throws Hx711NotReadyException       when the chip does not signal data ready in time
     */
    public synchronized Hx711Sample readSample() {
        if (poweredDown) {
            powerUp();
        }
        while (true) {
            sleepUntil(settledAtNanos);
            Hx711Sample sample = clockOutOneSample();
            if (sample != null) {
                return sample;
            }
        }
    }

    /**
     * Reads and throws away samples until 3 in a row are good (at most 30). A JVM that has just started runs the
     * clocking code interpreted, slow enough for many clock-high phases to reach 60 µs: a command that reads a few
     * samples and reports (a wiring check, a calibration) calls this first, so that what it reports is the sensor,
     * not the JIT. Stops at the first sign of a fault other than timing, which the next reads then report.
     *
     * @return the samples it read
     */
    public synchronized int warmUp() {
        int goodInARow = 0;
        int attempts = 0;
        while (goodInARow < WARM_UP_GOOD_IN_A_ROW && attempts < WARM_UP_ATTEMPTS) {
            attempts++;
            try {
                readSample();
                goodInARow++;
            } catch (Hx711SampleRejectedException e) {
                if (e.reason() != Hx711RejectReason.TIMING) {
                    break;
                }
                goodInARow = 0;
            } catch (Hx711NotReadyException e) {
                break;
            }
        }
        return attempts;
    }

    /** Holds PD_SCK high long enough for the chip to power down, and leaves it there. */
    public synchronized void powerDown() {
        long start = System.nanoTime();
        clock.high();
        sleepUntil(start + Math.max(MIN_POWER_DOWN_NANOS, 2 * settings.clockHighLimit().toNanos()));
        poweredDown = true;
    }

    /** PD_SCK low wakes the chip; it resets to channel A gain 128 and must settle again. */
    public synchronized void powerUp() {
        clock.low();
        poweredDown = false;
        chipRestarted();
    }

    /** Returns null for a sample that was converted with the wrong gain or before the chip settled. */
    private Hx711Sample clockOutOneSample() {
        Hx711Gain wanted = settings.gain();
        long dataReady = waitForDataReady();
        // The conversion completed after DOUT was last seen high; only then is it known to be a settled one.
        boolean convertedAfterSettling = lastHighSeenNanos - settledAtNanos >= 0;
        Hx711Gain convertedWith = chipGain;

        int raw = clockOut(wanted);
        chipGain = wanted;
        if (convertedWith != wanted) {
            // the pulses just sent switch the chip's input: what it converts next needs settling time
            settledAtNanos = System.nanoTime() + settlingNanos();
        }
        if (data.isLow()) {
            throw reject(Hx711RejectReason.STUCK_LOW, "DOUT stayed low after the 25th clock pulse, which pulls it high:"
                                                      + " DOUT looks stuck low or shorted to GND");
        }
        lastHighSeenNanos = System.nanoTime();
        if (raw == FLOATING_DOUT) {
            throw reject(Hx711RejectReason.ALL_ONES, "sample 0xFFFFFF (all ones): DOUT looks floating");
        }
        if (raw == POSITIVE_SATURATION || raw == NEGATIVE_SATURATION) {
            throw reject(Hx711RejectReason.SATURATED, String.format(
                    "sample 0x%06X is saturation: input out of range or a loose load-cell wire", raw));
        }
        if (convertedWith != wanted || !convertedAfterSettling) {
            counters.countUnsettled();
            return null;
        }
        counters.countGood();
        return new Hx711Sample(decode(raw), wanted, dataReady);
    }

    /** Clocks 24 data bits MSB first, then the pulses that choose the gain of the next conversion. */
    private int clockOut(Hx711Gain next) {
        long limit = settings.clockHighLimit().toNanos();
        int pulses = DATA_BITS + next.extraPulses();
        int raw = 0;
        long readStart = System.nanoTime();
        for (int pulse = 1; pulse <= pulses; pulse++) {
            long start = System.nanoTime();
            clock.high();
            boolean bit = pulse <= DATA_BITS && data.isHigh();
            clock.low();
            long high = System.nanoTime() - start;
            if (high >= limit) {
                chipRestarted();
                throw reject(Hx711RejectReason.TIMING, String.format(
                        "clock-high phase of %d µs at pulse %d (limit %d µs): the chip may have powered down",
                        high / 1000, pulse, limit / 1000));
            }
            if (pulse <= DATA_BITS) {
                raw = (raw << 1) | (bit ? 1 : 0);
            }
        }
        long took = System.nanoTime() - readStart;
        if (took > maxReadNanos()) {
            // a conversion may have completed mid-read: the bits and the gain the chip took are both uncertain
            chipGain = null;
            throw reject(Hx711RejectReason.TIMING, String.format(
                    "reading the sample took %d µs, too close to the next conversion", took / 1000));
        }
        return raw;
    }

    private long waitForDataReady() {
        long timeoutNanos = settings.readyTimeout().toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long before = System.nanoTime();
            if (data.isLow()) {
                return System.nanoTime();
            }
            lastHighSeenNanos = before;
            if (before - deadline >= 0) {
                counters.countTimeout();
                throw new Hx711NotReadyException("HX711 on " + settings.describePins()
                                                 + " did not signal data ready within " + timeoutNanos / 1_000_000
                                                 + " ms: check VCC/GND and that DOUT is wired to BCM "
                                                 + settings.dataPin());
            }
            parkInterruptibly(READY_POLL_NANOS);
        }
    }

    private void chipRestarted() {
        chipGain = Hx711Gain.A128;
        settledAtNanos = System.nanoTime() + settlingNanos();
    }

    private Hx711SampleRejectedException reject(Hx711RejectReason reason, String detail) {
        counters.countRejected(reason);
        LOG.debug("HX711 on {}: sample rejected: {}", settings.describePins(), detail);
        return new Hx711SampleRejectedException(reason, "HX711 on " + settings.describePins() + ": " + detail);
    }

    private String tooManyRejections(int used, int attempts, Map<Hx711RejectReason, Integer> rejected,
            String lastRejection) {
        String why = rejected.entrySet().stream()
                .map(e -> e.getKey().label() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
        return "HX711 on " + settings.describePins() + ": only " + used + " of " + settings.samples()
               + " good samples in " + attempts + " attempts, " + (attempts - used) + " rejected (" + why
               + "). Last: " + lastRejection;
    }

    private long settlingNanos() {
        return settings.effectiveSettlingTime().toNanos();
    }

    /** A read must end well before the next conversion could overwrite the data being shifted out. */
    private long maxReadNanos() {
        return Hx711Settings.conversionPeriod(settings.rate()).toNanos() / 4;
    }

    static int decode(int raw24) {
        return (raw24 << 8) >> 8;
    }

    private static void sleepUntil(long nanoTime) {
        long remaining;
        while ((remaining = nanoTime - System.nanoTime()) > 0) {
            parkInterruptibly(remaining);
        }
    }

    private static void parkInterruptibly(long nanos) {
        LockSupport.parkNanos(nanos);
        if (Thread.currentThread().isInterrupted()) {
            throw new Hx711Exception("interrupted while waiting for the HX711");
        }
    }
}
