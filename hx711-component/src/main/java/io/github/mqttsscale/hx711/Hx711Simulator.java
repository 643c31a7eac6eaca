package io.github.mqttsscale.hx711;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;

/**
 * An HX711 on Pi4J's mock GPIO provider, behaving as the datasheet says at the level of the two wires, so the
 * driver under test cannot tell it from a chip: conversions at 10 or 80 per second (DOUT low when one is ready, an
 * unread one is overwritten), 24 bits shifted out MSB first on rising PD_SCK edges, the 25th pulse pulling DOUT
 * high, 25/26/27 pulses choosing channel and gain of the next conversion, power-down when PD_SCK stays high over
 * 60 µs, reset to channel A gain 128 on power-up, and wrong output from conversions within the settling time.
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
    private static final long BENCHMARK_READ_QUIET_NANOS = 200_000;
    private static final int MAX_COUNTS = 0x7FFFFF;
    private static final int MIN_COUNTS = -0x800000;
    private static final String CLOCK_ID = "hx711-sim-pd-sck";
    private static final String DATA_ID = "hx711-sim-dout";

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
    private long repeatedReads;
    private boolean stretchThisRead;
    private boolean clockHigh;
    private boolean doutHigh = true;
    private long clockRiseNanos;
    private long lastEdgeNanos;
    /** Power-up or gain change: conversions within the settling time (at the current rate) after it are wrong. */
    private long settleStartNanos;
    private long powerDowns;

    private Context gpio;
    private DigitalOutput clockPin;
    private MockDigitalInput dataPin;
    private final Thread converter;

    public Hx711Simulator() {
        long now = System.nanoTime();
        lastEdgeNanos = now;
        settleStartNanos = now;
        converter = new Thread(this::runConversions, "hx711-simulator");
        converter.setDaemon(true);
        converter.start();
    }

    /**
     * Creates mock pins at these BCM addresses with this simulator on the other end; they replace pins wired
     * before. Closing the returned pins unwires them.
     */
    public synchronized Hx711Pins wire(int dataPinNumber, int clockPinNumber) {
        if (closed) {
            throw new IllegalStateException("simulator is closed");
        }
        unwire();
        if (gpio == null) {
            gpio = Pi4J.newContextBuilder()
                    .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                    .build();
        }
        DigitalOutput clock = gpio.create(DigitalOutput.newConfigBuilder(gpio)
                .id(CLOCK_ID).address(clockPinNumber).initial(DigitalState.LOW));
        MockDigitalInput data = (MockDigitalInput) gpio.create(DigitalInput.newConfigBuilder(gpio)
                .id(DATA_ID).address(dataPinNumber));
        clock.addListener(this::onClockEdge);
        clockPin = clock;
        dataPin = data;
        clockHigh = false;
        driveDout(doutHigh);
        DigitalOutput wiredClock = clock;
        return new Hx711Pins(clock, data, () -> unwireIfStill(wiredClock));
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
            throw new IllegalArgumentException("Invalid conversions per second " + conversionsPerSecond + ": 0 or more");
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

    /** Reads that started on a conversion already read: what a driver that does not wait for data ready does. */
    public synchronized long repeatedReadCount() {
        return repeatedReads;
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
        if (event.state() == DigitalState.HIGH) {
            long holdUntil = risingEdge();
            while (holdUntil != 0 && System.nanoTime() - holdUntil < 0) {
                Thread.onSpinWait();
            }
        } else {
            fallingEdge();
        }
    }

    /** Returns a nanoTime to hold the clock-high phase until (the listener runs inside the driver's high()), or 0. */
    private synchronized long risingEdge() {
        long now = System.nanoTime();
        clockHigh = true;
        clockRiseNanos = now;
        lastEdgeNanos = now;
        pulses++;
        if (pulses == 1) {
            if (outputRead) {
                repeatedReads++;
            }
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
        return stretchThisRead && pulses == DATA_BITS / 2 ? now + STRETCH_NANOS : 0;
    }

    private synchronized void fallingEdge() {
        long now = System.nanoTime();
        clockHigh = false;
        lastEdgeNanos = now;
        if (now - clockRiseNanos > POWER_DOWN_NANOS) {
            powerDowns++;
            readsSincePowerUp = 0;
            gain = Hx711Gain.A128;
            pulses = 0;
            driveDout(true);
            settleStartNanos = now;
        }
    }

    private void runConversions() {
        long next = System.nanoTime() + periodNanos();
        while (!closed) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            long retryIn = convert();
            long now = System.nanoTime();
            if (retryIn > 0) {
                next = now + retryIn;
            } else {
                next += periodNanos();
                if (next - now < 0) {
                    next = now + periodNanos();
                }
            }
        }
    }

    /** One conversion; returns a delay to retry after when a read is in progress, else 0. */
    private synchronized long convert() {
        long now = System.nanoTime();
        if (clockHigh && now - clockRiseNanos > POWER_DOWN_NANOS) {
            driveDout(true);
            return 0;
        }
        // a read's pulses come microseconds apart; in the benchmark mode half a period is far too long to wait
        long readQuiet = benchmarkConversionsPerSecond > 0 ? Math.min(periodNanos() / 2, BENCHMARK_READ_QUIET_NANOS)
                : periodNanos() / 2;
        if (pulses > 0 && now - lastEdgeNanos < readQuiet) {
            // do not overwrite data being shifted out, nor miss extra pulses still coming
            return readQuiet - (now - lastEdgeNanos);
        }
        if (pulses > DATA_BITS) {
            Hx711Gain next = Hx711Gain.afterExtraPulses(pulses - DATA_BITS);
            if (next != null && next != gain) {
                gain = next;
                settleStartNanos = lastEdgeNanos;
            }
        }
        pulses = 0;
        outputRegister = conversionResult(now) & 0xFFFFFF;
        outputRead = false;
        driveDout(false);
        return 0;
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
            // the digital filter still holds the old input: off by an amount that fades with time
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
            boolean level = switch (fault) {
                case UNPLUGGED -> true;
                case STUCK_LOW -> false;
                default -> high;
            };
            dataPin.mockState(level ? DigitalState.HIGH : DigitalState.LOW);
        }
    }

    private synchronized void unwireIfStill(DigitalOutput wiredClock) {
        if (clockPin == wiredClock) {
            unwire();
        }
    }

    private void unwire() {
        if (gpio != null && clockPin != null) {
            gpio.shutdown(CLOCK_ID);
            gpio.shutdown(DATA_ID);
        }
        clockPin = null;
        dataPin = null;
    }
}
