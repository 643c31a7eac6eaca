package io.github.mqttsscale.hx711;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;

/**
 * An HX711 on Pi4J's mock GPIO provider, behaving as the datasheet says at the level of the two wires, so the
 * driver under test cannot tell it from a chip: conversions at 10 or 80 per second (DOUT low when one is ready, an
 * unread one is overwritten), 24 bits shifted out MSB first on rising PD_SCK edges, the 25th pulse pulling DOUT
 * high, 25/26/27 pulses choosing channel and gain of the next conversion, power-down when PD_SCK stays high over
 * 60 µs, reset to channel A gain 128 on power-up, and wrong output from conversions within the settling time (the
 * first one saturated). A conversion that completes while a read is shifting bits out replaces the bits still to
 * come, as nothing in the chip stops it. The pins behave as Pi4J 2.8.0's gpiod plugin does on a Pi: once requested,
 * a line stays requested until the simulator closes, so asking for the same pins again fails.
 * <p>
 * Thread-safe: the load and the faults may change while a driver reads.
 */
public final class Hx711Simulator implements AutoCloseable {

    public static final int DEFAULT_OFFSET_COUNTS = 75353;
    public static final double DEFAULT_COUNTS_PER_KG = 12780;

    private static final long POWER_DOWN_NANOS = 60_000;
    /** How long a stretched clock-high phase is held: well past the power-down threshold. */
    private static final long STRETCH_NANOS = 150_000;
    /** Leaves a driver room to discard the unsettled reads after a power-up and still get a good one. */
    private static final int READS_BEFORE_STRETCH = 3;
    private static final int DATA_BITS = 24;
    private static final int MAX_COUNTS = 0x7FFFFF;
    private static final int MIN_COUNTS = -0x800000;
    private static final int SCRATCH_PULSES = 50_000;
    private static final long BENCHMARK_READ_QUIET_NANOS = 200_000;
    private static volatile boolean edgeCodeCompiled;

    // the load cell and the faults: set from any thread, read by the conversion thread
    private volatile double loadKg;
    private volatile int offsetCounts = DEFAULT_OFFSET_COUNTS;
    private volatile double countsPerKg = DEFAULT_COUNTS_PER_KG;
    private volatile double noiseCounts;
    private volatile int rate = 10;
    private volatile int benchmarkConversionsPerSecond;
    private volatile Hx711Fault fault = Hx711Fault.NONE;
    private volatile int spikeEvery = 10;
    private volatile Integer outputCounts;
    private volatile boolean closed;

    // the chip, guarded by this
    private Hx711Gain gain = Hx711Gain.A128;
    private int outputRegister;
    private int shiftRegister;
    private int pulses;
    private int readsSincePowerUp;
    private int readsSinceSpike;
    private boolean outputRead;
    /** The read under way began on a conversion already read (decided at its first falling edge). */
    private boolean readBeganOnReadOutput;
    private long repeatedReads;
    private boolean stretchThisRead;
    private int conversionsSinceSettleStart;
    private int highHoldPulse;
    private long highHoldNanos;
    private int lowHoldPulse;
    private long lowHoldNanos;
    private Runnable duringLowHold;
    private boolean clockHigh;
    private boolean doutHigh = true;
    private long clockRiseNanos;
    private long lastEdgeNanos;
    /** Power-up or gain change: conversions within the settling time (at the current rate) after it are wrong. */
    private long settleStartNanos;
    private long powerDowns;
    private long nextConversionNanos;
    private long clockPulses;

    private Context gpio;
    private final java.util.Set<Integer> requestedLines = new java.util.HashSet<>();
    private DigitalOutput clockPin;
    private MockDigitalInput dataPin;
    private boolean doutPulledUp;
    private Hx711SpiWire.Transfer spiBus;
    private final Thread converter;
    private final DigitalStateChangeListener edgeListener = this::onClockEdge;

    public Hx711Simulator() {
        compileEdgeCode();
        long now = System.nanoTime();
        lastEdgeNanos = now;
        settleStartNanos = now;
        converter = new Thread(this::runConversions, "hx711-simulator");
        converter.setDaemon(true);
        converter.start();
    }

    /**
     * Creates mock pins at these BCM addresses with this simulator on the other end, the same way the component
     * requests real ones ({@link Hx711Pins#open}); the chip moves to them from pins wired before. Closing the
     * returned pins unwires them, but like gpiod's lines they stay requested until the simulator closes.
     *
     * @throws IllegalStateException "Device or resource busy" when a pin was requested before
     */
    public synchronized Hx711Pins wire(int dataPinNumber, int clockPinNumber) {
        if (closed) {
            throw new IllegalStateException("simulator is closed");
        }
        for (int line : new int[]{dataPinNumber, clockPinNumber}) {
            if (requestedLines.contains(line)) {
                throw new IllegalStateException("GPIO line BCM " + line + " is already requested: Device or resource"
                        + " busy (Pi4J 2.8.0's gpiod plugin keeps a line until its context"
                        + " shuts down)");
            }
        }
        unwire();
        if (gpio == null) {
            gpio = Pi4J.newContextBuilder()
                    .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                    .build();
        }
        Hx711Pins opened = Hx711Pins.open(gpio, "hx711-sim-" + dataPinNumber + "-" + clockPinNumber, dataPinNumber,
                clockPinNumber);
        requestedLines.add(dataPinNumber);
        requestedLines.add(clockPinNumber);
        DigitalOutput clock = opened.clock();
        clock.addListener(edgeListener);
        clockPin = clock;
        dataPin = (MockDigitalInput) opened.data();
        doutPulledUp = opened.data().config().pull() == PullResistance.PULL_UP;
        clockHigh = false;
        driveDout(doutHigh);
        return new Hx711Pins(clock, opened.data(), () -> unwireIfStill(clock));
    }

    public double getLoadKg() {
        return loadKg;
    }

    public void setLoadKg(double loadKg) {
        this.loadKg = loadKg;
    }

    public int getOffsetCounts() {
        return offsetCounts;
    }

    public void setOffsetCounts(int offsetCounts) {
        this.offsetCounts = offsetCounts;
    }

    public double getCountsPerKg() {
        return countsPerKg;
    }

    public void setCountsPerKg(double countsPerKg) {
        this.countsPerKg = countsPerKg;
    }

    public double getNoiseCounts() {
        return noiseCounts;
    }

    /** Standard deviation of Gaussian noise added to each conversion, in counts. */
    public void setNoiseCounts(double noiseCounts) {
        this.noiseCounts = noiseCounts;
    }

    public int getRate() {
        return rate;
    }

    /** Conversions per second, as the RATE pin would set: 10 or 80. */
    public void setRate(int rate) {
        if (rate != 10 && rate != 80) {
            throw new IllegalArgumentException("Invalid rate " + rate + ": allowed values are 10 or 80");
        }
        this.rate = rate;
    }

    public int getBenchmarkConversionsPerSecond() {
        return benchmarkConversionsPerSecond;
    }

    /**
     * <b>Benchmarks only, not what any HX711 does</b> (the chip converts 10 or 80 times a second): converts this many
     * times a second instead of at {@link #setRate the rate}, so that a benchmark can offer readings faster than the
     * chip could and find where the software falls behind. Everything else (settling time, power-down, the
     * two-wire protocol) stays as at the rate. 0, the default, converts at the rate.
     */
    public void setBenchmarkConversionsPerSecond(int conversionsPerSecond) {
        if (conversionsPerSecond < 0) {
            throw new IllegalArgumentException(
                    "Invalid conversions per second " + conversionsPerSecond + ": 0 or more");
        }
        this.benchmarkConversionsPerSecond = conversionsPerSecond;
        LockSupport.unpark(converter);
    }

    public Hx711Fault getFault() {
        return fault;
    }

    public synchronized void setFault(Hx711Fault fault) {
        this.fault = fault == null ? Hx711Fault.NONE : fault;
        driveDout(doutHigh);
    }

    public int getSpikeEvery() {
        return spikeEvery;
    }

    /**
     * While the fault is SPIKES, every this many reads shifts out a value far off (default 10: 1 spikes them all).
     * Spikes come at fixed intervals, not at random, so a test knows how many a reading can meet: with 10 or more,
     * no reading of the driver (at most 3 × samples + 5 reads) meets more than 2.
     */
    public void setSpikeEvery(int reads) {
        if (reads < 1) {
            throw new IllegalArgumentException("spikeEvery must be 1 or more reads, not " + reads);
        }
        this.spikeEvery = reads;
    }

    public Integer getOutputCounts() {
        return outputCounts;
    }

    /**
     * Forces what settled conversions put in the 24-bit output register, whatever the gain; only the low 24 bits
     * count, so -5 and 0xFFFFFB are the same. Null returns to the load model.
     */
    public void setOutputCounts(Integer outputCounts) {
        this.outputCounts = outputCounts;
    }

    /** The gain the chip will convert with next, including one chosen by a read that just ended. */
    public synchronized Hx711Gain currentGain() {
        Hx711Gain chosen = pulses > DATA_BITS ? Hx711Gain.afterExtraPulses(pulses - DATA_BITS) : null;
        return chosen != null ? chosen : gain;
    }

    public synchronized boolean isPoweredDown() {
        return clockHigh && System.nanoTime() - clockRiseNanos > POWER_DOWN_NANOS;
    }

    /**
     * The next read holds PD_SCK high this long at this pulse (1-based), as a scheduler pause would; the chip powers
     * down if that is over 60 µs.
     */
    public synchronized void holdClockHighOnce(int pulse, long nanos) {
        highHoldPulse = pulse;
        highHoldNanos = nanos;
    }

    /**
     * The next read pauses this long with PD_SCK low after this pulse (harmless to the chip, which simply waits),
     * running {@code meanwhile} first: a conversion that completes in the pause replaces the bits still to come.
     */
    public synchronized void holdClockLowOnce(int pulse, long nanos, Runnable meanwhile) {
        lowHoldPulse = pulse;
        lowHoldNanos = nanos;
        duringLowHold = meanwhile;
    }

    /** How long until the chip completes its next conversion. */
    public synchronized long nanosToNextConversion() {
        return nextConversionNanos - System.nanoTime();
    }

    /** Reads that started on a conversion already read: what a driver that does not wait for data ready does. */
    public synchronized long repeatedReadCount() {
        return repeatedReads;
    }

    /** Rising PD_SCK edges the chip has seen. */
    public synchronized long clockPulseCount() {
        return clockPulses;
    }

    /** How often a long clock-high phase has powered the chip down. */
    public synchronized long powerDownCount() {
        return powerDowns;
    }

    /** The count a settled, noiseless conversion at this gain gives now (the forced output if one is set). */
    public int expectedCounts(Hx711Gain forGain) {
        Integer forced = outputCounts;
        return forced != null ? Hx711Driver.decode(forced & 0xFFFFFF) : modelCounts(forGain, 0);
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(converter);
        synchronized (this) {
            unwire();
            if (gpio != null) {
                gpio.shutdown();
                gpio = null;
            }
        }
    }

    private void onClockEdge(DigitalStateChangeEvent<?> event) {
        long now = System.nanoTime();
        long holdUntil = event.state() == DigitalState.HIGH ? risingEdge(now) : fallingEdge(now);
        while (holdUntil != 0 && System.nanoTime() - holdUntil < 0) {
            Thread.onSpinWait();
        }
    }

    /** Returns a nanoTime to hold the clock-high phase until (the listener runs inside the driver's high()), or 0. */
    private synchronized long risingEdge(long now) {
        clockHigh = true;
        clockRiseNanos = now;
        lastEdgeNanos = now;
        pulses++;
        clockPulses++;
        if (pulses == 1) {
            readBeganOnReadOutput = outputRead;
            outputRead = true;
            shiftRegister = outputRegister;
            if (fault == Hx711Fault.SPIKES && ++readsSinceSpike >= spikeEvery) {
                readsSinceSpike = 0;
                int far = 200_000 + ThreadLocalRandom.current().nextInt(800_000);
                shiftRegister = awayFrom(Hx711Driver.decode(outputRegister), far) & 0xFFFFFF;
            }
            readsSincePowerUp++;
            stretchThisRead = fault == Hx711Fault.STRETCHED_CLOCK && readsSincePowerUp == READS_BEFORE_STRETCH + 1;
        }
        // DOUT follows the rising edge: the next bit MSB first, then high from the 25th pulse on
        driveDout(pulses > DATA_BITS || ((shiftRegister >> (DATA_BITS - pulses)) & 1) == 1);
        if (highHoldPulse == pulses) {
            highHoldPulse = 0;
            return now + highHoldNanos;
        }
        return stretchThisRead && pulses == DATA_BITS / 2 ? now + STRETCH_NANOS : 0;
    }

    private long fallingEdge(long now) {
        Runnable meanwhile;
        long holdUntil;
        synchronized (this) {
            clockHigh = false;
            lastEdgeNanos = now;
            if (now - clockRiseNanos <= POWER_DOWN_NANOS && pulses == 1 && readBeganOnReadOutput) {
                // a first pulse that ends as a pulse, not as a power-down (which the driver's recovery begins with)
                repeatedReads++;
            }
            if (now - clockRiseNanos > POWER_DOWN_NANOS) {
                powerDowns++;
                readsSincePowerUp = 0;
                gain = Hx711Gain.A128;
                pulses = 0;
                driveDout(true);
                settleStartNanos = now;
                conversionsSinceSettleStart = 0;
            }
            if (lowHoldPulse == 0 || lowHoldPulse != pulses) {
                return 0;
            }
            lowHoldPulse = 0;
            meanwhile = duringLowHold;
            holdUntil = now + lowHoldNanos;
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
                        nextConversionNanos += periodNanos();
                        if (nextConversionNanos - now < 0) {
                            nextConversionNanos = now + periodNanos();
                        }
                        wait = nextConversionNanos - System.nanoTime();
                        // last before the lock is let go: a reader sees DOUT low and takes the lock at its first
                        // rising edge, which must not wait for this thread (60 µs)
                        if (ready) {
                            driveDout(false);
                        }
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
        Hx711Fault currentFault = fault;
        if (currentFault == Hx711Fault.ALL_ONES) {
            return 0xFFFFFF;
        }
        Integer forced = outputCounts;
        int value = forced != null ? Hx711Driver.decode(forced & 0xFFFFFF) : modelCounts(gain, noiseCounts);
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

    private int modelCounts(Hx711Gain forGain, double noise) {
        double channelA128 = offsetCounts + loadKg * countsPerKg;
        double counts = channelA128 * forGain.gain() / 128.0;
        if (noise > 0) {
            counts += ThreadLocalRandom.current().nextGaussian() * noise;
        }
        return (int) Math.max(MIN_COUNTS, Math.min(MAX_COUNTS, Math.round(counts)));
    }

    /** Moves a value by distance, towards zero so that it stays clear of the saturation codes. */
    private static int awayFrom(int value, int distance) {
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
        if (dataPin != null) {
            dataPin.mockState(doutLevel() ? DigitalState.HIGH : DigitalState.LOW);
        }
    }

    /** What the Pi reads on DOUT now. */
    private boolean doutLevel() {
        return switch (fault) {
            case UNPLUGGED -> true;
            case STUCK_LOW -> false;
            // nothing drives the wire: the pull-up holds it high, or it picks up whatever is around
            case FLOATING_DOUT -> doutPulledUp || ThreadLocalRandom.current().nextBoolean();
            default -> doutHigh;
        };
    }

    /**
     * The chip wired to an SPI bus as {@link Hx711SpiWire} expects (PD_SCK on MOSI, DOUT on MISO, MISO pulled up as
     * the README's config.txt line does), clocked at the wiring's speed: each MOSI bit is one bit time long, the chip
     * sees an edge where MOSI changes, MISO is sampled in the middle of each bit. Closing the wire unwires it.
     */
    public synchronized Hx711SpiWire wireSpi(Hx711Wiring.Spi wiring) {
        if (closed) {
            throw new IllegalStateException("simulator is closed");
        }
        unwire();
        doutPulledUp = true;
        clockHigh = false;
        long bitNanos = 1_000_000_000L / wiring.speedHz();
        Hx711SpiWire.Transfer[] self = new Hx711SpiWire.Transfer[1];
        self[0] = (sent, received) -> spiTransfer(self[0], sent, received, bitNanos);
        spiBus = self[0];
        return new Hx711SpiWire(self[0], wiring, () -> {
            synchronized (this) {
                if (spiBus == self[0]) {
                    spiBus = null;
                }
            }
        });
    }

    private synchronized void spiTransfer(Hx711SpiWire.Transfer bus, byte[] sent, byte[] received, long bitNanos) {
        if (spiBus != bus) {
            throw new IllegalStateException("the simulated SPI wire was closed");
        }
        long start = System.nanoTime();
        for (int bit = 0; bit < sent.length * 8; bit++) {
            long at = start + bit * bitNanos;
            boolean mosi = (sent[bit / 8] & (0x80 >>> (bit % 8))) != 0;
            if (mosi && !clockHigh) {
                risingEdge(at);
            } else if (!mosi && clockHigh) {
                fallingEdge(at);
            }
            if (doutLevel()) {
                received[bit / 8] |= (byte) (0x80 >>> (bit % 8));
            } else {
                received[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
        }
        if (clockHigh) {
            // MOSI falls back low after the transfer
            fallingEdge(start + sent.length * 8L * bitNanos);
        }
    }

    private synchronized void unwireIfStill(DigitalOutput wiredClock) {
        if (clockPin == wiredClock) {
            unwire();
        }
    }

    private void unwire() {
        spiBus = null;
        if (clockPin != null) {
            clockPin.removeListener(edgeListener);
        }
        clockPin = null;
        dataPin = null;
    }

    /**
     * The simulated chip's edge code, interpreted, is slow enough to stretch clock-high phases past 60 µs by itself,
     * which a chip in silicon never does: it is run on a scratch chip until compiled, once per JVM.
     */
    private static void compileEdgeCode() {
        if (edgeCodeCompiled) {
            return;
        }
        synchronized (Hx711Simulator.class) {
            if (edgeCodeCompiled) {
                return;
            }
            edgeCodeCompiled = true;
            try (Hx711Simulator scratch = new Hx711Simulator(); Hx711Pins pins = scratch.wire(0, 1)) {
                scratch.setFault(Hx711Fault.STUCK_LOW);
                for (int pulse = 0; pulse < SCRATCH_PULSES; pulse++) {
                    pins.clock().high();
                    pins.data().isHigh();
                    pins.clock().low();
                }
            }
        }
    }
}
