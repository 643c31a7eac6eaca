package io.github.mqttsscale.hx711;

import java.util.concurrent.atomic.LongAdder;

/** What the driver has done since it was created; read from any thread (JMX, health, logs). */
public final class Hx711Counters {

    private final LongAdder reads = new LongAdder();
    private final LongAdder goodSamples = new LongAdder();
    private final LongAdder rejectedTiming = new LongAdder();
    private final LongAdder rejectedSaturated = new LongAdder();
    private final LongAdder rejectedAllOnes = new LongAdder();
    private final LongAdder rejectedStuckLow = new LongAdder();
    private final LongAdder discardedUnsettled = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder discardedStale = new LongAdder();
    private final LongAdder rehearsals = new LongAdder();

    /** Readings attempted (calls of read()). */
    public long getReads() {
        return reads.sum();
    }

    public long getGoodSamples() {
        return goodSamples.sum();
    }

    public long getRejectedTiming() {
        return rejectedTiming.sum();
    }

    public long getRejectedSaturated() {
        return rejectedSaturated.sum();
    }

    public long getRejectedAllOnes() {
        return rejectedAllOnes.sum();
    }

    public long getRejectedStuckLow() {
        return rejectedStuckLow.sum();
    }

    /** Samples converted before the chip settled after power-up or a gain change (expected, not a fault). */
    public long getDiscardedUnsettled() {
        return discardedUnsettled.sum();
    }

    public long getTimeouts() {
        return timeouts.sum();
    }

    /**
     * Samples not used because the next conversion may have replaced them mid-read: DOUT had been low for an unknown
     * time (the first sample after a pause) or the read was slow (expected, not a fault).
     */
    public long getDiscardedStale() {
        return discardedStale.sum();
    }

    /** Clock-outs rehearsed without a clock edge so that the JVM compiles the clocking code (expected). */
    public long getRehearsals() {
        return rehearsals.sum();
    }

    void countStale() {
        discardedStale.increment();
    }

    void countRehearsals(int count) {
        rehearsals.add(count);
    }

    void countRead() {
        reads.increment();
    }

    void countGood() {
        goodSamples.increment();
    }

    void countUnsettled() {
        discardedUnsettled.increment();
    }

    void countTimeout() {
        timeouts.increment();
    }

    void countRejected(Hx711RejectReason reason) {
        switch (reason) {
            case TIMING -> rejectedTiming.increment();
            case SATURATED -> rejectedSaturated.increment();
            case ALL_ONES -> rejectedAllOnes.increment();
            case STUCK_LOW -> rejectedStuckLow.increment();
        }
    }

    @Override
    public String toString() {
        return "reads=" + getReads() + ", good=" + getGoodSamples() + ", rejectedTiming=" + getRejectedTiming()
               + ", rejectedSaturated=" + getRejectedSaturated() + ", rejectedAllOnes=" + getRejectedAllOnes()
               + ", rejectedStuckLow=" + getRejectedStuckLow() + ", discardedUnsettled=" + getDiscardedUnsettled()
               + ", discardedStale=" + getDiscardedStale() + ", timeouts=" + getTimeouts();
    }
}
