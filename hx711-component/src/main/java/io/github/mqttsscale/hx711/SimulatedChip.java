package io.github.mqttsscale.hx711;

import java.util.concurrent.locks.LockSupport;

/**
 * The simulated HX711 itself, as the datasheet describes it at its two pins: conversions at 10 or 80 per second
 * (DOUT low when one is ready, an unread one is overwritten), 24 bits shifted out MSB first on rising PD_SCK edges,
 * the 25th pulse pulling DOUT high, 25/26/27 pulses choosing channel and gain of the next conversion, power-down when
 * PD_SCK stays high over 60 µs, reset to channel A gain 128 on power-up, and wrong output from conversions within the
 * settling time (the first one saturated). A conversion that completes while a read is shifting bits out replaces
 * the bits still to come, as nothing in the chip stops it.
 * <p>
 * Its lock is the chip's: every edge, conversion and wiring change holds it. A wire ({@link Connection}) feeds it
 * clock edges and shows its DOUT to the Pi; one wire at a time.
 */
final class SimulatedChip {

    private static final long POWER_DOWN_NANOS = 60_000;
    private static final int DATA_BITS = 24;
    private static final int MAX_COUNTS = 0x7FFFFF;
    private static final long BENCHMARK_READ_QUIET_NANOS = 200_000;

    /** The wire the chip is connected to: it shows DOUT to the Pi. */
    interface Connection {

        /** The chip drives DOUT this way now (or a fault may have changed what the Pi reads on it). */
        void dout(boolean chipDrivesHigh);

        /** Another wire takes the chip, or the simulator closes: this one must stop reaching it. */
        void disconnect();
    }

    private final SimulatedLoadCell loadCell;
    private final SimulatedFaults faults;
    private volatile int rate = 10;
    private volatile int benchmarkConversionsPerSecond;
    private volatile boolean closed;

    // guarded by this
    private Connection connection;
    private Hx711Gain gain = Hx711Gain.A128;
    private int outputRegister;
    private int shiftRegister;
    private int pulses;
    private int readsSincePowerUp;
    private boolean outputRead;
    /** The read under way began on a conversion already read (decided at its first falling edge). */
    private boolean readBeganOnReadOutput;
    private boolean stretchThisRead;
    private int conversionsSinceSettleStart;
    private boolean clockHigh;
    private boolean doutHigh = true;
    private long clockRiseNanos;
    private long lastEdgeNanos;
    /** Power-up or gain change: conversions within the settling time (at the current rate) after it are wrong. */
    private long settleStartNanos;
    private long nextConversionNanos;
    private final SimulatedChipProbe probe = new SimulatedChipProbe(this);
    private final Thread converter;

    SimulatedChip(SimulatedLoadCell loadCell, SimulatedFaults faults) {
        this.loadCell = loadCell;
        this.faults = faults;
        long now = System.nanoTime();
        lastEdgeNanos = now;
        settleStartNanos = now;
        converter = new Thread(this::runConversions, "hx711-simulator");
        converter.setDaemon(true);
        converter.start();
    }

    /** Conversions per second, as the RATE pin would set: 10 or 80. */
    void setRate(int rate) {
        Hx711Settings.requireRate(rate);
        this.rate = rate;
    }

    /** Benchmarks only: this many conversions a second instead of the rate's; 0 converts at the rate. */
    void setBenchmarkConversionsPerSecond(int conversionsPerSecond) {
        if (conversionsPerSecond < 0) {
            throw new IllegalArgumentException(
                    "Invalid conversions per second " + conversionsPerSecond + ": 0 or more");
        }
        this.benchmarkConversionsPerSecond = conversionsPerSecond;
        LockSupport.unpark(converter);
    }

    boolean isClosed() {
        return closed;
    }

    /** Stops converting; the wire must be disconnected under the lock afterwards. */
    void close() {
        closed = true;
        LockSupport.unpark(converter);
    }

    /** The chip moves to this wire from the one before, with PD_SCK low and DOUT shown as the chip drives it. */
    synchronized void connect(Connection wire) {
        disconnect();
        connection = wire;
        clockHigh = false;
        driveDout(doutHigh);
    }

    synchronized void disconnect() {
        if (connection != null) {
            connection.disconnect();
            connection = null;
        }
    }

    synchronized boolean isConnectedTo(Connection wire) {
        return connection == wire;
    }

    /** Under the lock: PD_SCK as the chip saw it last. */
    boolean isClockHigh() {
        return clockHigh;
    }

    /** Under the lock: how the chip drives DOUT. */
    boolean doutHigh() {
        return doutHigh;
    }

    /** A fault may have changed what the Pi reads on DOUT: the wire shows it again. */
    synchronized void refreshDout() {
        driveDout(doutHigh);
    }

    /**
     * Returns a nanoTime to hold the clock-high phase until (the listener runs inside the driver's high()), or 0. The
     * SPI bus ignores it: its hardware clock is never stretched.
     */
    synchronized long risingEdge(long now) {
        clockHigh = true;
        clockRiseNanos = now;
        lastEdgeNanos = now;
        pulses++;
        probe.clockPulses++;
        if (pulses == 1) {
            readBeganOnReadOutput = outputRead;
            outputRead = true;
            shiftRegister = faults.shiftedOut(outputRegister);
            readsSincePowerUp++;
            stretchThisRead = faults.stretches(readsSincePowerUp);
        }
        // DOUT follows the rising edge: the next bit MSB first, then high from the 25th pulse on
        driveDout(pulses > DATA_BITS || ((shiftRegister >> (DATA_BITS - pulses)) & 1) == 1);
        long held = probe.heldHighUntil(pulses, now);
        if (held != 0) {
            return held;
        }
        if (faults.slowClock()) {
            return now + SimulatedFaults.SLOW_CLOCK_HIGH_NANOS;
        }
        return stretchThisRead && pulses == DATA_BITS / 2 ? now + SimulatedFaults.STRETCH_NANOS : 0;
    }

    /** Returns a nanoTime to hold the clock-low phase until, or 0; runs a test's action for that pause first. */
    long fallingEdge(long now) {
        Runnable meanwhile;
        long holdUntil;
        synchronized (this) {
            clockHigh = false;
            lastEdgeNanos = now;
            if (now - clockRiseNanos <= POWER_DOWN_NANOS && pulses == 1 && readBeganOnReadOutput) {
                // a first pulse that ends as a pulse, not as a power-down (which the driver's recovery begins with)
                probe.repeatedReads++;
            }
            if (now - clockRiseNanos > POWER_DOWN_NANOS) {
                probe.powerDowns++;
                readsSincePowerUp = 0;
                gain = Hx711Gain.A128;
                pulses = 0;
                driveDout(true);
                settleStartNanos = now;
                conversionsSinceSettleStart = 0;
            }
            if (!probe.holdsLowAfter(pulses)) {
                return 0;
            }
            meanwhile = probe.duringLowHold();
            holdUntil = now + probe.lowHoldNanos();
        }
        if (meanwhile != null) {
            meanwhile.run();
        }
        return holdUntil;
    }

    private void runConversions() {
        synchronized (this) {
            nextConversionNanos = System.nanoTime() + periodNanos();
        }
        while (!closed) {
            long wait;
            synchronized (this) {
                wait = nextConversionNanos - System.nanoTime();
                if (wait <= 0) {
                    long now = System.nanoTime();
                    if (benchmarkConversionsPerSecond > 0 && pulses > 0
                            && now - lastEdgeNanos < BENCHMARK_READ_QUIET_NANOS) {
                        // far faster than any chip: let the read in progress finish, or the benchmark measures
                        // the overlap
                        nextConversionNanos = lastEdgeNanos + BENCHMARK_READ_QUIET_NANOS;
                    } else {
                        boolean ready = convert();
                        // last before the lock is let go (but for a clock read): a reader sees DOUT low and takes
                        // the lock at its first rising edge, which must not wait for this thread (60 µs)
                        if (ready) {
                            driveDout(false);
                        }
                        nextConversionNanos = nextConversionAfter(System.nanoTime());
                        wait = nextConversionNanos - System.nanoTime();
                    }
                }
            }
            // straight to sleep, without taking the chip's lock again: a reader that has just seen DOUT low must not
            // find it taken (a wait on the lock can exceed 60 µs), as a real chip's clock edges never wait
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /**
     * When the conversion after the one this thread made (and showed on DOUT) at {@code madeAt} is due. A chip's are
     * a period apart: when this thread ran late, the next one comes a period after the late one, never sooner. Caught
     * up on a fixed schedule instead, it came a period minus the delay after it, into a read that the reader rightly
     * expects a period's time for (DOUT was high a moment before), where it took the read's last gain pulses as ending
     * a read and the rest as starting one: the reader then set a gain the chip never got, and switched it later than
     * the reader knew. Benchmarks keep their rate, and let a read finish instead (see runConversions).
     */
    private long nextConversionAfter(long madeAt) {
        if (benchmarkConversionsPerSecond > 0) {
            long next = nextConversionNanos + periodNanos();
            return next - madeAt < 0 ? madeAt + periodNanos() : next;
        }
        return madeAt + periodNanos();
    }

    /**
     * One conversion, whatever the wires are doing: the chip has no way to wait for a read to finish. Returns true
     * when DOUT is to go low (data ready).
     */
    private boolean convert() {
        long now = System.nanoTime();
        if (clockHigh && now - clockRiseNanos > POWER_DOWN_NANOS) {
            driveDout(true);
            return false;
        }
        if (pulses > 0 && pulses <= DATA_BITS) {
            // mid-read: the new result replaces the bits still to be shifted out
            outputRegister = conversionResult(now) & 0xFFFFFF;
            shiftRegister = outputRegister;
            return false;
        }
        if (pulses > DATA_BITS) {
            Hx711Gain next = Hx711Gain.afterExtraPulses(pulses - DATA_BITS);
            if (next != null && next != gain) {
                gain = next;
                settleStartNanos = lastEdgeNanos;
                conversionsSinceSettleStart = 0;
            }
        }
        pulses = 0;
        outputRegister = conversionResult(now) & 0xFFFFFF;
        outputRead = false;
        doutHigh = false;
        return true;
    }

    private int conversionResult(long now) {
        if (faults.allOnes()) {
            return 0xFFFFFF;
        }
        int value = loadCell.conversion(gain);
        long unsettledNanos = settlingNanos() - (now - settleStartNanos);
        if (unsettledNanos > 0) {
            // the digital filter still holds the old input: at first off the scale, then by an amount that fades
            if (conversionsSinceSettleStart++ == 0) {
                return MAX_COUNTS;
            }
            value = awayFrom(value, 1_000 + (int) (40_000 * unsettledNanos / settlingNanos()));
        }
        return value;
    }

    /** Moves a value by distance, towards zero so that it stays clear of the saturation codes. */
    static int awayFrom(int value, int distance) {
        return value > 0 ? value - distance : value + distance;
    }

    private long periodNanos() {
        int benchmarkRate = benchmarkConversionsPerSecond;
        return benchmarkRate > 0 ? 1_000_000_000L / benchmarkRate : Hx711Settings.conversionPeriod(rate).toNanos();
    }

    private long settlingNanos() {
        return Hx711Settings.settlingTimeForRate(rate).toNanos();
    }

    private void driveDout(boolean high) {
        doutHigh = high;
        if (connection != null) {
            connection.dout(high);
        }
    }

    // tests only: what the chip did, and pauses of the reader at chosen pulses, as a scheduler would make them

    /** The gain the chip will convert with next, including one chosen by a read that just ended. */
    synchronized Hx711Gain currentGain() {
        Hx711Gain chosen = pulses > DATA_BITS ? Hx711Gain.afterExtraPulses(pulses - DATA_BITS) : null;
        return chosen != null ? chosen : gain;
    }

    synchronized boolean isPoweredDown() {
        return clockHigh && System.nanoTime() - clockRiseNanos > POWER_DOWN_NANOS;
    }

    /** How long until the chip completes its next conversion. */
    synchronized long nanosToNextConversion() {
        return nextConversionNanos - System.nanoTime();
    }

    /** What the chip counted, and the pauses of its reader to make. */
    SimulatedChipProbe probe() {
        return probe;
    }
}
