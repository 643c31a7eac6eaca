package io.github.mqttsscale.hx711;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long PD_SCK stayed high, pulse by pulse, in buckets up to and past the chip's 60 µs: the margin a machine has.
 * Each phase is counted at its longest possible duration (from before the rising edge to after the falling one).
 */
public final class Hx711ClockHighHistogram {

    /** Upper bounds of the buckets in µs; the last bucket holds everything above the last bound. */
    private static final long[] BOUNDS_MICROS = {2, 5, 10, 20, 40, 60};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_MICROS.length + 1);

    void record(long nanos) {
        int bucket = 0;
        while (bucket < BOUNDS_MICROS.length && nanos >= BOUNDS_MICROS[bucket] * 1000) {
            bucket++;
        }
        counts.incrementAndGet(bucket);
    }

    /** A copy of the counts now, which later counts can be told from ({@link #since}). */
    public Hx711ClockHighHistogram copy() {
        Hx711ClockHighHistogram copy = new Hx711ClockHighHistogram();
        for (int i = 0; i < counts.length(); i++) {
            copy.counts.set(i, counts.get(i));
        }
        return copy;
    }

    /** The phases counted after {@code earlier}, a {@link #copy} of this histogram taken before. */
    public Hx711ClockHighHistogram since(Hx711ClockHighHistogram earlier) {
        Hx711ClockHighHistogram later = new Hx711ClockHighHistogram();
        for (int i = 0; i < counts.length(); i++) {
            later.counts.set(i, counts.get(i) - earlier.counts.get(i));
        }
        return later;
    }

    /** Phases counted in all. */
    public long total() {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** Phases of 60 µs or more (or that may have been): each one cost a sample. */
    public long atOrOverLimit() {
        return counts.get(BOUNDS_MICROS.length);
    }

    /** E.g. "<2µs: 9876, 2-5µs: 120, 5-10µs: 3, 10-20µs: 0, 20-40µs: 0, 40-60µs: 0, >=60µs: 1". */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        long lower = 0;
        for (int i = 0; i <= BOUNDS_MICROS.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            if (i == 0) {
                text.append('<').append(BOUNDS_MICROS[0]).append("µs");
            } else if (i == BOUNDS_MICROS.length) {
                text.append(">=").append(lower).append("µs");
            } else {
                text.append(lower).append('-').append(BOUNDS_MICROS[i]).append("µs");
            }
            text.append(": ").append(counts.get(i));
            lower = i < BOUNDS_MICROS.length ? BOUNDS_MICROS[i] : lower;
        }
        return text.toString();
    }
}
