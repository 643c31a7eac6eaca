package io.github.mqttsscale.hx711;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the driver has done since it was created; read from any thread (JMX, health, logs). */
public final class Hx711Counters {

    private final LongAdder reads = new LongAdder();
    private final LongAdder goodSamples = new LongAdder();
    private final Map<Hx711RejectReason, LongAdder> rejected = new EnumMap<>(Hx711RejectReason.class);
    private final LongAdder discardedUnsettled = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder discardedStale = new LongAdder();
    private final LongAdder rehearsals = new LongAdder();

    public Hx711Counters() {
        for (Hx711RejectReason reason : Hx711RejectReason.values()) {
            rejected.put(reason, new LongAdder());
        }
    }

    /** Readings attempted (calls of read()). */
    public long getReads() {
        return reads.sum();
    }

    public long getGoodSamples() {
        return goodSamples.sum();
    }

    /** Samples thrown away for this reason. */
    public long rejected(Hx711RejectReason reason) {
        return rejected.get(reason).sum();
    }

    /** Samples thrown away for any reason. */
    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Samples thrown away by reason, keyed as {@link Hx711RejectReason#key()}, in the enum's order. */
    public Map<String, Long> rejectedByReason() {
        Map<String, Long> byReason = new LinkedHashMap<>();
        rejected.forEach((reason, count) -> byReason.put(reason.key(), count.sum()));
        return byReason;
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
        rejected.get(reason).increment();
    }

    @Override
    public String toString() {
        return "reads=" + getReads() + ", good=" + getGoodSamples() + ", rejected=" + rejectedByReason()
                + ", discardedUnsettled=" + getDiscardedUnsettled()
                + ", discardedStale=" + getDiscardedStale() + ", timeouts=" + getTimeouts();
    }
}
