package io.github.mqttsscale.hx711;

/**
 * Tests only: what a simulated chip counted, and pauses of its reader at chosen pulses, as a scheduler would make
 * them. Guarded by the chip's lock: the chip updates it from its edges, tests read and arm it.
 */
final class SimulatedChipProbe {

    private final Object chipLock;
    /** Rising PD_SCK edges. */
    long clockPulses;
    /** Reads that began on a conversion already read. */
    long repeatedReads;
    /** Clock-high phases long enough to power the chip down. */
    long powerDowns;
    private int highHoldPulse;
    private long highHoldNanos;
    private int lowHoldPulse;
    private long lowHoldNanos;
    private Runnable duringLowHold;

    SimulatedChipProbe(Object chipLock) {
        this.chipLock = chipLock;
    }

    /**
     * The next read holds PD_SCK high this long at this pulse (1-based), as a scheduler pause would; the chip powers
     * down if that is over 60 µs.
     */
    void holdClockHighOnce(int pulse, long nanos) {
        synchronized (chipLock) {
            highHoldPulse = pulse;
            highHoldNanos = nanos;
        }
    }

    /**
     * The next read pauses this long with PD_SCK low after this pulse (harmless to the chip, which simply waits),
     * running {@code meanwhile} first: a conversion that completes in the pause replaces the bits still to come.
     */
    void holdClockLowOnce(int pulse, long nanos, Runnable meanwhile) {
        synchronized (chipLock) {
            lowHoldPulse = pulse;
            lowHoldNanos = nanos;
            duringLowHold = meanwhile;
        }
    }

    /** Reads that started on a conversion already read: what a driver that does not wait for data ready does. */
    long repeatedReadCount() {
        synchronized (chipLock) {
            return repeatedReads;
        }
    }

    /** Rising PD_SCK edges the chip has seen. */
    long clockPulseCount() {
        synchronized (chipLock) {
            return clockPulses;
        }
    }

    /** How often a long clock-high phase has powered the chip down. */
    long powerDownCount() {
        synchronized (chipLock) {
            return powerDowns;
        }
    }

    /** Under the chip's lock, at a rising edge: the nanoTime to hold PD_SCK high until, or 0. */
    long heldHighUntil(int pulse, long now) {
        if (highHoldPulse != pulse) {
            return 0;
        }
        highHoldPulse = 0;
        return now + highHoldNanos;
    }

    /** Under the chip's lock, at a falling edge: whether PD_SCK is held low after this pulse (once). */
    boolean holdsLowAfter(int pulse) {
        if (lowHoldPulse == 0 || lowHoldPulse != pulse) {
            return false;
        }
        lowHoldPulse = 0;
        return true;
    }

    long lowHoldNanos() {
        return lowHoldNanos;
    }

    Runnable duringLowHold() {
        return duringLowHold;
    }
}
