package io.github.mqttsscale.hx711;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an HX711 through a {@link Hx711Wire}. Usable without Camel.
 * <p>
 * Linux may pause this thread at any moment. The HX711 punishes that: a clock-high phase of 60 µs powers it down
 * and the bits clocked after that are garbage. So every clock-high phase is timed: a sample in which one may have
 * reached the limit is thrown away and the chip is then powered down for certain, so that it is known to restart at
 * channel A gain 128. A conversion is only used when it is known to be fresh (the next one cannot have overwritten
 * it mid-read) and settled, and then checked for the values only faults produce. A reading is the median of several
 * good samples, or an exception: never a made-up value.
 * <p>
 * A JVM runs the clocking code interpreted at first, slow enough to trip the 60 µs check on every sample, and a
 * sample that fails at its first pulse never runs the code often enough to get it compiled. So the driver rehearses
 * the clocking code (without a clock edge) before its first sample and again whenever timing rejections pile up.
 * <p>
 * The driver does not take the settings' word for the chip's rate: it measures the time between conversions and,
 * until that confirms the rate, waits the longer settling time of the two rates (see {@link #rateMismatch()}).
 * <p>
 * Not for concurrent use by design of the chip; the public methods are synchronized so a misuse waits instead of
 * interleaving clock pulses. {@link #close()} is the exception: it stops a read in progress at its next sample.
 */
public final class Hx711Driver {

    private static final Logger LOG = LoggerFactory.getLogger(Hx711Driver.class);

    /** Short parks keep the CPU free while waiting up to 100 ms for a conversion, yet notice it within ~0.3 ms. */
    private static final long READY_POLL_NANOS = 250_000;
    /** Datasheet: PD_SCK high for more than 60 µs powers the chip down; this much more makes it certain. */
    private static final long MIN_POWER_DOWN_NANOS = 100_000;
    private static final int DATA_BITS = 24;
    private static final int POSITIVE_SATURATION = 0x7FFFFF;
    private static final int NEGATIVE_SATURATION = 0x800000;
    /** A conversion may be read until this share of a period after it was made: the chip's clock is not exact. */
    private static final double FRESH_SHARE_OF_PERIOD = 0.8;
    /** Rehearsal ends once this many rehearsed clock-outs in a row stayed well under the limit... */
    private static final int REHEARSALS_FAST_IN_A_ROW = 50;
    /** ...or after this many, or this long: a machine that never gets fast still gets its readings tried. */
    private static final int MAX_REHEARSALS = 3000;
    private static final long MAX_REHEARSAL_NANOS = 300_000_000L;
    /** Timing rejections in one reading that call for another rehearsal (once per reading). */
    private static final int TIMING_REJECTIONS_BEFORE_REHEARSAL = 2;
    /**
     * DOUT seen high this shortly before it was seen low: the data-ready edge is known to this precision. Shorter than
     * a period at 80 samples/s, so no conversion can hide in it, and loose enough for a busy machine's late parks:
     * a period measured this far off is still on its side of Hx711ConversionRate's boundary (12.5 ± 10 ms is under
     * 35 ms, 100 − 10 ms over it).
     */
    private static final long EDGE_PRECISION_NANOS = 10_000_000;
    /** Samples readSample() may discard in a row (stale, unsettled) before it gives up: the machine is too slow. */
    private static final int MAX_DISCARDS_PER_SAMPLE = 20;

    private final Hx711Wire wire;
    private final Hx711Counters counters = new Hx711Counters();
    private final Hx711ClockHighHistogram clockHigh = new Hx711ClockHighHistogram();
    private final Hx711ConversionRate conversionRate;
    private Hx711Settings settings;
    private boolean rehearsed;
    /** Set by close(): a read in progress stops at its next sample, and no read starts. */
    private volatile boolean closed;

    // What the driver knows about the chip. chipGain null = unknown (at start, or after a read a new conversion may
    // have overtaken): the next sample is then discarded and its pulses set a known gain.
    private Hx711Gain chipGain;
    private long settledAtNanos;
    private long lastHighSeenNanos;
    private boolean poweredDown;
    /** When the last sample read in full saw DOUT go low, if it did exactly (0: not known): a period begins there. */
    private long lastEdgeNanos;

    private final Hx711ClockTiming clockTiming;

    public Hx711Driver(Hx711Wire wire, Hx711Settings settings) {
        this(wire, settings, Hx711ClockTiming.DEFAULT_WINDOW);
    }

    /**
     * @param tooSlowWindow how long most samples of the GPIO wiring must be rejected for clock timing before the
     *                      machine is called too slow for it ({@link #tooSlowForGpio()}); a minute by default
     */
    public Hx711Driver(Hx711Wire wire, Hx711Settings settings, Duration tooSlowWindow) {
        this(wire, settings, tooSlowWindow, System::nanoTime);
    }

    /** With the clock the window is measured on (tests). */
    Hx711Driver(Hx711Wire wire, Hx711Settings settings, Duration tooSlowWindow, LongSupplier nanoTime) {
        this.wire = wire;
        this.settings = settings;
        this.clockTiming = new Hx711ClockTiming(tooSlowWindow, nanoTime, clockHigh);
        this.conversionRate = new Hx711ConversionRate(settings.rate());
        this.settledAtNanos = System.nanoTime();
        this.lastHighSeenNanos = settledAtNanos;
        wire.clockLow();
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

    /** Every clock-high phase so far, by duration: the margin this machine leaves to the chip's 60 µs. */
    public Hx711ClockHighHistogram clockHighHistogram() {
        return clockHigh;
    }

    public synchronized boolean isPoweredDown() {
        return poweredDown;
    }

    /**
     * What is wrong when the chip converts at another rate than the settings say (its RATE pin is wired for the
     * other one), measured from the times DOUT signals data ready; empty while they agree or before it is measured.
     */
    public Optional<String> rateMismatch() {
        return conversionRate.mismatch(wire.describe());
    }

    /** The chip's conversion rate as measured, 10 or 80, or 0 while not known yet. */
    public int measuredRate() {
        return conversionRate.measured();
    }

    /**
     * Waits for a read in progress to stop, which it does at its next sample, and makes every later read fail: the
     * consumer stops or its route reloads, and the next one must find the chip between two reads, not in the middle
     * of one.
     */
    public void close() {
        closed = true;
        synchronized (this) {
            LOG.debug("HX711 on {}: driver closed", wire.describe());
        }
    }

    /**
     * One reading: {@code samples} good samples combined as the settings say (median or trimmed mean).
     *
     * @throws Hx711NotReadyException when the chip does not signal data ready in time
     * @throws Hx711TimingException   when too many samples were rejected, all of them for clock timing (a busy
     *                                machine, not a sensor fault)
     * @throws Hx711Exception         when too many samples had to be rejected, saying how many and why
     */
    public synchronized Hx711Reading read() {
        counters.countRead();
        int wanted = settings.samples();
        int maxAttempts = 3 * wanted + 5;
        int[] good = new int[wanted];
        int used = 0;
        int attempts = 0;
        int discarded = 0;
        long lastDataReady = 0;
        Map<Hx711RejectReason, Integer> rejected = new EnumMap<>(Hx711RejectReason.class);
        String lastRejection = null;
        try {
            while (used < wanted) {
                if (attempts == maxAttempts) {
                    String message = tooManyRejections(used, attempts, discarded, rejected, lastRejection);
                    // nothing but timing rejections and discards: a busy machine, not a sensor fault
                    throw Set.of(Hx711RejectReason.TIMING).containsAll(rejected.keySet())
                            ? new Hx711TimingException(message)
                            : new Hx711Exception(message);
                }
                attempts++;
                try {
                    // a discarded sample (stale, unsettled) is an attempt too: on a machine too slow to read fresh
                    // samples the reading must end
                    Hx711Sample sample = attemptSample();
                    if (sample == null) {
                        discarded++;
                        continue;
                    }
                    good[used++] = sample.raw();
                    lastDataReady = sample.dataReadyNanos();
                } catch (Hx711SampleRejectedException e) {
                    int sameReason = rejected.merge(e.reason(), 1, Integer::sum);
                    lastRejection = e.getMessage();
                    if (e.reason() == Hx711RejectReason.TIMING && sameReason == TIMING_REJECTIONS_BEFORE_REHEARSAL) {
                        rehearse();
                    }
                }
            }
        } finally {
            // a sample rejected for another reason (saturated, DOUT stuck) was clocked in time all the same: a faulty
            // sensor on a busy machine is not a machine too slow for the GPIO wiring
            int timing = rejected.getOrDefault(Hx711RejectReason.TIMING, 0);
            int rejectedInTime = rejected.values().stream().mapToInt(Integer::intValue).sum() - timing;
            judgeClockTiming(used + rejectedInTime, timing);
        }
        Hx711Gain gain = settings.gain();
        // sorted once: the combination and the samples' spread both read it
        int[] sorted = Arrays.copyOf(good, used);
        Arrays.sort(sorted);
        double counts = settings.combine().ofSorted(sorted, used);
        int lowest = sorted[0];
        int highest = sorted[used - 1];
        return new Hx711Reading((int) Math.floor(counts + 0.5), counts, lowest, highest, Instant.now(), lastDataReady,
                gain.gain(), gain.channel(), used, attempts - used);
    }

    /** Only the GPIO wiring's clock is made by this machine: a clock made by SPI hardware says nothing about it. */
    private void judgeClockTiming(int inTime, int timing) {
        if (settings.wiring() instanceof Hx711Wiring.Gpio && clockTiming.reading(inTime, timing)) {
            tooSlowForGpio().ifPresentOrElse(
                    tooSlow -> LOG.debug("HX711 on {}: too slow for the GPIO wiring: {}", wire.describe(), tooSlow),
                    () -> LOG.debug("HX711 on {}: samples pass the clock timing again", wire.describe()));
        }
    }

    /**
     * What is wrong, and how to fix it, while this machine cannot keep the GPIO wiring's clock-high phases under the
     * chip's limit: over the last window (a minute) more of its samples were rejected for clock timing than were
     * clocked in time (see {@link Hx711ClockTiming} for the rule). Empty with the SPI wiring, whose clock the SPI hardware makes.
     */
    public Optional<String> tooSlowForGpio() {
        if (!(settings.wiring() instanceof Hx711Wiring.Gpio wiring)) {
            return Optional.empty();
        }
        return clockTiming.tooSlow().map(verdict -> String.format(java.util.Locale.ROOT,
                "this machine cannot keep the HX711's clock pulse under the chip's limit with the GPIO wiring (%s):"
                        + " over the last %d s, %d of %d samples were rejected for clock timing, PD_SCK high for %d µs"
                        + " or more (the chip powers down at 60 µs). Clock-high phases measured: %s. %s",
                wiring.describe(), verdict.window().toSeconds(), verdict.timing(), verdict.inTime() + verdict.timing(),
                settings.clockHighLimit().toNanos() / 1000, verdict.clockHigh(), spiAdvice(wiring)));
    }

    /** The SPI wiring, the cure for a machine too slow for the GPIO wiring: which pins to move where. */
    private static String spiAdvice(Hx711Wiring.Gpio gpio) {
        return "The SPI wiring fixes it: the SPI hardware makes the clock, each pulse one SPI bit ("
                + 1_000_000 / Hx711Wiring.Spi.DEFAULT_SPEED_HZ + " µs) high whatever the machine does. "
                + gpio.moveToSpi() + ", and set wiring=spi";
    }

    /**
     * One good sample at the configured gain, waiting out any settling time first.
     *
     * @throws Hx711SampleRejectedException when the sample is unusable (the reason says why)
     * @throws Hx711NotReadyException       when the chip does not signal data ready in time
     */
    public synchronized Hx711Sample readSample() {
        for (int discarded = 0; discarded < MAX_DISCARDS_PER_SAMPLE; discarded++) {
            Hx711Sample sample = attemptSample();
            if (sample != null) {
                return sample;
            }
        }
        throw new Hx711TimingException("HX711 on " + wire.describe() + ": " + MAX_DISCARDS_PER_SAMPLE
                + " samples in a row were discarded as stale or unsettled (" + counters
                + "): the machine is too slow to read a conversion before the next one replaces it");
    }

    /** One sample, or null when it is discarded (stale, unsettled). */
    private Hx711Sample attemptSample() {
        requireOpen();
        if (!rehearsed) {
            rehearse();
        }
        if (poweredDown) {
            powerUp();
        }
        sleepUntil(settledAtNanos, true);
        return clockOutOneSample();
    }

    private void requireOpen() {
        if (closed) {
            throw new Hx711Exception("HX711 on " + wire.describe() + ": the driver was closed (its consumer stopped)");
        }
    }

    /**
     * Runs the clocking code without clocking until it is fast (see the class comment). Reading calls it by itself;
     * it is public so that a command can do it before it reports on the sensor.
     *
     * @return the clock-outs rehearsed
     */
    public synchronized int warmUp() {
        return rehearse();
    }

    private int rehearse() {
        rehearsed = true;
        long fastEnough = settings.clockHighLimit().toNanos() / 4;
        int pulses = DATA_BITS + settings.gain().extraPulses();
        long start = System.nanoTime();
        int fastInARow = 0;
        int count = 0;
        while (fastInARow < REHEARSALS_FAST_IN_A_ROW && count < MAX_REHEARSALS
                && System.nanoTime() - start < MAX_REHEARSAL_NANOS) {
            count++;
            fastInARow = wire.rehearseClockOut(pulses) < fastEnough ? fastInARow + 1 : 0;
        }
        counters.countRehearsals(count);
        LOG.debug("HX711 on {}: clocking code rehearsed {} times in {} µs", wire.describe(), count,
                (System.nanoTime() - start) / 1000);
        return count;
    }

    /** Holds PD_SCK high long enough for the chip to power down, and leaves it there. */
    public synchronized void powerDown() {
        lastEdgeNanos = 0;
        wire.clockHigh();
        // counted from when the edge has surely happened: the call itself may have been paused before making it
        long high = System.nanoTime();
        // from here on the chip is, or is about to be, powered down: an interrupt below must not hide that
        poweredDown = true;
        // not cut short by close(): the chip must be down for certain, to restart with a known gain
        sleepUntil(high + Math.max(MIN_POWER_DOWN_NANOS, 2 * settings.clockHighLimit().toNanos()), false);
    }

    /** PD_SCK low wakes the chip; it resets to channel A gain 128 and must settle again. */
    public synchronized void powerUp() {
        wire.clockLow();
        poweredDown = false;
        chipGain = Hx711Gain.A128;
        lastEdgeNanos = 0;
        settledAtNanos = System.nanoTime() + settlingNanos();
    }

    /** Returns null for a sample that is not known to be fresh, or was converted with another gain or unsettled. */
    private Hx711Sample clockOutOneSample() {
        Hx711Gain wanted = settings.gain();
        long dataReady = waitForDataReady();
        // the conversion completed after DOUT was last seen high, so the next one cannot come before this + period
        long convertedAfter = lastHighSeenNanos;
        boolean convertedAfterSettling = convertedAfter - settledAtNanos >= 0;
        Hx711Gain convertedWith = chipGain;

        Hx711ClockedBits bits = wire.clockOut(DATA_BITS + wanted.extraPulses(), settings.clockHighLimit().toNanos(),
                clockHigh);
        if (bits.timing() != Hx711ClockedBits.Timing.OK) {
            // the read stopped before its 25th pulse, the chip may or may not have powered down: make it certain,
            // so that the gain it restarts with is known
            powerDown();
            powerUp();
            throw reject(Hx711RejectReason.TIMING, String.format(
                    "clock-high phase of up to %d µs at pulse %d (limit %d µs): the chip may have powered down",
                    bits.highNanos() / 1000, bits.pulse(), settings.clockHighLimit().toNanos() / 1000));
        }
        long readEnd = System.nanoTime();
        boolean fresh = readEnd - convertedAfter < freshNanos();
        measurePeriod(dataReady, convertedAfter, fresh && bits.doutHighAfter() && !bits.noisy());
        if (convertedWith != wanted) {
            if (fresh) {
                // the pulses just sent switch the chip's input: what it converts next needs settling time
                chipGain = wanted;
                settledAtNanos = readEnd + settlingNanos();
            } else {
                // a new conversion may have overtaken the read and the chip missed the pulses: the next read sends
                // them again, at once, as waiting would make it stale as well
                chipGain = null;
            }
        }
        if (!fresh) {
            // DOUT was low for an unknown time, or the read was slow: the next conversion may have replaced the bits
            // mid-read, and DOUT may be low again already
            lastHighSeenNanos = readEnd;
            counters.countStale();
            return null;
        }
        if (bits.noisy()) {
            // the chip's state after such a read is unknown: restart it, as after a stretched clock
            powerDown();
            powerUp();
            throw reject(Hx711RejectReason.NOISE, "the two reads of each DOUT bit disagree: DOUT is floating and "
                    + wire.dataLine() + " picks up random bits. Check the DT wire and the pull-up on MISO (config.txt:"
                    + " gpio=9=pu for SPI bus 0; the Pi 5's SPI pins may not keep it)");
        }
        if (!bits.doutHighAfter()) {
            throw reject(Hx711RejectReason.STUCK_LOW, "DOUT stayed low after the 25th clock pulse, which pulls it high:"
                    + " DOUT looks stuck low or shorted to GND");
        }
        lastHighSeenNanos = readEnd;
        if (convertedWith != wanted || !convertedAfterSettling) {
            // before the fault checks: an unsettled conversion may well read as saturation
            counters.countUnsettled();
            return null;
        }
        // 0xFFFFFF is -1, a count like any other: a floating DOUT is found by the pull-up (never ready) or, on SPI, by
        // reading each bit twice
        int raw = bits.raw();
        if (raw == POSITIVE_SATURATION || raw == NEGATIVE_SATURATION) {
            throw reject(Hx711RejectReason.SATURATED, String.format(
                    "sample 0x%06X is saturation: input out of range or a loose load-cell wire", raw));
        }
        counters.countGood();
        return new Hx711Sample(decode(raw), wanted, dataReady);
    }

    /**
     * A period of the chip's clock when this sample's data ready and the one before were both seen as they happened
     * and nothing came between them: the sample before was read in full while fresh, and DOUT was watched from then.
     */
    private void measurePeriod(long dataReady, long lastSeenHigh, boolean readInFull) {
        boolean edgeSeen = dataReady - lastSeenHigh <= EDGE_PRECISION_NANOS;
        if (edgeSeen && readInFull && lastEdgeNanos != 0 && conversionRate.period(dataReady - lastEdgeNanos)) {
            conversionRate.mismatch(wire.describe()).ifPresentOrElse(LOG::warn,
                    () -> LOG.debug("HX711 on {}: {} samples/s measured, as configured", wire.describe(),
                            conversionRate.measured()));
        }
        lastEdgeNanos = edgeSeen && readInFull ? dataReady : 0;
    }

    private long waitForDataReady() {
        long timeoutNanos = settings.readyTimeout().toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            requireOpen();
            long before = System.nanoTime();
            if (wire.isDataReady()) {
                return System.nanoTime();
            }
            lastHighSeenNanos = before;
            if (before - deadline >= 0) {
                counters.countTimeout();
                // a chip left waiting in the middle of a read never signals again: restart it for the next try
                powerDown();
                powerUp();
                int noisy = wire.takeNoisyReadyChecks();
                throw new Hx711NotReadyException("HX711 on " + wire.describe() + " did not signal data ready within "
                        + timeoutNanos / 1_000_000 + " ms: check VCC/GND and that DOUT is wired to " + wire.dataLine()
                        + (noisy > 0
                                ? " (" + noisy + " checks saw DOUT change within one check: it looks floating, "
                                        + "check the DT wire and the pull-up on MISO)"
                                : ""));
            }
            parkInterruptibly(READY_POLL_NANOS);
        }
    }

    private Hx711SampleRejectedException reject(Hx711RejectReason reason, String detail) {
        counters.countRejected(reason);
        LOG.debug("HX711 on {}: sample rejected: {}", wire.describe(), detail);
        return new Hx711SampleRejectedException(reason, "HX711 on " + wire.describe() + ": " + detail);
    }

    private String tooManyRejections(int used, int attempts, int discarded, Map<Hx711RejectReason, Integer> rejected,
            String lastRejection) {
        String why = rejected.entrySet().stream()
                .map(e -> e.getKey().label() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
        return "HX711 on " + wire.describe() + ": only " + used + " of " + settings.samples() + " good samples in "
                + attempts + " attempts, " + (attempts - used - discarded) + " rejected (" + why + "), " + discarded
                + " discarded as stale or unsettled (a conversion that came during the read, or before the chip"
                + " settled). Last rejection: " + lastRejection;
    }

    /**
     * The settling time for the rate, or the longer one of the two rates while the measured rate does not confirm
     * the configured one: 50 ms after a power-up of a chip that converts at 10 samples/s would pass unsettled
     * samples. A settling time given explicitly is used as given.
     */
    private long settlingNanos() {
        if (!settings.settlingTime().isZero() || conversionRate.confirmed()) {
            return settings.effectiveSettlingTime().toNanos();
        }
        return Math.max(Hx711Settings.settlingTimeForRate(10).toNanos(),
                Hx711Settings.settlingTimeForRate(80).toNanos());
    }

    /** Within this share of the shorter period, configured or measured, a conversion cannot have overtaken a read. */
    private long freshNanos() {
        int measured = conversionRate.measured();
        int fastest = Math.max(settings.rate(), measured);
        return (long) (Hx711Settings.conversionPeriod(fastest).toNanos() * FRESH_SHARE_OF_PERIOD);
    }

    static int decode(int raw24) {
        return (raw24 << 8) >> 8;
    }

    /** In short parks, so that close() need not wait out a settling time. */
    private void sleepUntil(long nanoTime, boolean stopWhenClosed) {
        long remaining;
        while ((remaining = nanoTime - System.nanoTime()) > 0) {
            if (stopWhenClosed) {
                requireOpen();
            }
            parkInterruptibly(Math.min(remaining, READY_POLL_NANOS * 4));
        }
    }

    private static void parkInterruptibly(long nanos) {
        LockSupport.parkNanos(nanos);
        if (Thread.currentThread().isInterrupted()) {
            throw new Hx711Exception("interrupted while waiting for the HX711");
        }
    }
}
