package io.github.mqttsscale.hx711;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What goes wrong around a simulated HX711, each fault where it shows: spikes and all-ones in the bits shifted out,
 * a broken or shorted DOUT in what the Pi reads on it, a stretched clock in the timing of a read.
 * <p>
 * The fault is set from any thread; the spike count is kept by the chip, under its lock.
 */
final class SimulatedFaults {

    /** How long a stretched clock-high phase is held: well past the power-down threshold. */
    static final long STRETCH_NANOS = 150_000;
    /** How long every clock-high phase made on a GPIO pin lasts with SLOW_CLOCK: over the chip's 60 µs. */
    static final long SLOW_CLOCK_HIGH_NANOS = 80_000;
    /** Leaves a driver room to discard the unsettled reads after a power-up and still get a good one. */
    private static final int READS_BEFORE_STRETCH = 3;

    private volatile Hx711Fault fault = Hx711Fault.NONE;
    private volatile int spikeEvery = 10;
    /** Guarded by the chip's lock. */
    private int readsSinceSpike;

    Hx711Fault get() {
        return fault;
    }

    void set(Hx711Fault fault) {
        this.fault = fault == null ? Hx711Fault.NONE : fault;
    }

    /**
     * Tests only: while the fault is SPIKES, every this many reads shifts out a value far off (default 10: 1 spikes
     * them all). Spikes come at fixed intervals, not at random, so a test knows how many a reading can meet: with 10
     * or more, no reading of the driver (at most 3 × samples + 5 reads) meets more than 2.
     */
    void setSpikeEvery(int reads) {
        if (reads < 1) {
            throw new IllegalArgumentException("spikeEvery must be 1 or more reads, not " + reads);
        }
        this.spikeEvery = reads;
    }

    /** A conversion's result is all ones whatever the load (ALL_ONES). */
    boolean allOnes() {
        return fault == Hx711Fault.ALL_ONES;
    }

    /** The 24 bits a read beginning now shifts out of this output register: it, or a spike. Under the chip's lock. */
    int shiftedOut(int outputRegister) {
        if (fault == Hx711Fault.SPIKES && ++readsSinceSpike >= spikeEvery) {
            readsSinceSpike = 0;
            int far = 200_000 + ThreadLocalRandom.current().nextInt(800_000);
            return SimulatedChip.awayFrom(Hx711Driver.decode(outputRegister), far) & 0xFFFFFF;
        }
        return outputRegister;
    }

    /** A read beginning now, this many reads after power-up, has a clock-high phase stretched (STRETCHED_CLOCK). */
    boolean stretches(int readsSincePowerUp) {
        return fault == Hx711Fault.STRETCHED_CLOCK && readsSincePowerUp == READS_BEFORE_STRETCH + 1;
    }

    /** Every clock-high phase a Pi makes on a GPIO pin lasts {@link #SLOW_CLOCK_HIGH_NANOS} (SLOW_CLOCK). */
    boolean slowClock() {
        return fault == Hx711Fault.SLOW_CLOCK;
    }

    /**
     * What the Pi reads on MISO while the chip drives DOUT this way: MISO is pulled up (config.txt), but for the fault
     * FLOATING_MISO, which is the pull-up missing as well.
     */
    boolean misoSeen(boolean chipDrivesHigh) {
        return doutSeen(chipDrivesHigh, fault != Hx711Fault.FLOATING_MISO);
    }

    /** What the Pi reads on DOUT while the chip drives it this way. */
    boolean doutSeen(boolean chipDrivesHigh, boolean pulledUp) {
        return switch (fault) {
            case UNPLUGGED -> true;
            case STUCK_LOW -> false;
            // nothing drives the wire: the pull-up holds it high, or it picks up whatever is around
            case FLOATING_DOUT, FLOATING_MISO -> pulledUp || ThreadLocalRandom.current().nextBoolean();
            default -> chipDrivesHigh;
        };
    }
}
