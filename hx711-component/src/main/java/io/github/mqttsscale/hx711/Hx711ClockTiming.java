package io.github.mqttsscale.hx711;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Whether this machine keeps the GPIO wiring's clock-high phases under the chip's limit, judged over a window of time
 * (a minute by default), not sample by sample: a busy moment costs a few samples and is nobody's business, a machine
 * that loses most of them all the time (a Pi Zero 2 W or a busy Pi 3, emulation) needs the SPI wiring.
 * <p>
 * The rule: each reading tells how many of its samples were clocked in time (passed, or were rejected for another
 * reason: a saturated or stuck sample was clocked in time all the same) and how many were rejected for clock timing
 * (discards do not count either way). The machine is too slow once readings have been watched for a whole window and,
 * over the readings of the last window, more samples were rejected for clock timing than were clocked in time (at
 * least {@link #MIN_SAMPLES} of them). It is no longer once, over the readings of the last window, more samples were
 * clocked in time than rejected for clock timing: a machine that loses most samples but not all keeps the verdict
 * (health does not flicker with each lucky reading), one that got its time back loses it within half a window. The
 * window then starts again, so that a machine at the edge says it at most once per window.
 * <p>
 * Fed by the reading thread, asked from any.
 */
final class Hx711ClockTiming {

    /** How long most samples must be lost before the machine is called too slow. */
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    /** Fewer samples in a window say nothing about the machine. */
    static final int MIN_SAMPLES = 10;

    /** One reading's samples, and the clock-high phases as they were before it. */
    private record Reading(long atNanos, int inTime, int timing, Hx711ClockHighHistogram clockHighBefore) {
    }

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Hx711ClockHighHistogram clockHigh;
    private final Deque<Reading> readings = new ArrayDeque<>();
    /** When the window started: the first reading, or the one that ended the last verdict; 0 before the first. */
    private long watchingSince;
    /** The clock-high phases as they were after the last reading judged: before the next one. */
    private Hx711ClockHighHistogram clockHighAfterLast;
    private Verdict verdict;

    /**
     * What the window showed when the machine was found too slow, updated while it stays so.
     *
     * @param window    how long it was watched
     * @param inTime    samples clocked in time over the last window (passed, or rejected for another reason)
     * @param timing    samples rejected for clock timing over the last window
     * @param clockHigh the clock-high phases of the readings of the last window
     */
    record Verdict(Duration window, int inTime, int timing, Hx711ClockHighHistogram clockHigh) {
    }

    Hx711ClockTiming(Duration window, LongSupplier nanoTime, Hx711ClockHighHistogram clockHigh) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the clock timing's window must be longer than 0, not " + window);
        }
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
        this.clockHigh = clockHigh;
        this.clockHighAfterLast = clockHigh.copy();
    }

    /**
     * One reading's samples.
     *
     * @return true when this reading made the machine too slow, or no longer so
     */
    synchronized boolean reading(int inTime, int timing) {
        if (inTime + timing == 0) {
            return false;
        }
        long now = nanoTime.getAsLong();
        Hx711ClockHighHistogram before = clockHighAfterLast;
        clockHighAfterLast = clockHigh.copy();
        if (watchingSince == 0) {
            startWatching(now);
        }
        readings.addLast(new Reading(now, inTime, timing, before));
        while (now - readings.peekFirst().atNanos() >= windowNanos) {
            readings.removeFirst();
        }
        int windowInTime = readings.stream().mapToInt(Reading::inTime).sum();
        int windowTiming = readings.stream().mapToInt(Reading::timing).sum();
        boolean wasTooSlow = verdict != null;
        if (wasTooSlow && windowInTime > windowTiming) {
            verdict = null;
            readings.clear();
            startWatching(now);
            return true;
        }
        if (wasTooSlow || (now - watchingSince >= windowNanos && windowTiming > windowInTime
                && windowInTime + windowTiming >= MIN_SAMPLES)) {
            verdict = new Verdict(Duration.ofNanos(Math.min(now - watchingSince, windowNanos)), windowInTime,
                    windowTiming, clockHigh.since(readings.peekFirst().clockHighBefore()));
        }
        return !wasTooSlow && verdict != null;
    }

    private void startWatching(long now) {
        // 0 means "not yet": a clock that reads 0 now is taken as a nanosecond later
        watchingSince = now == 0 ? 1 : now;
    }

    /** What the window showed, while the machine is too slow. */
    synchronized Optional<Verdict> tooSlow() {
        return Optional.ofNullable(verdict);
    }
}
