package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Whether the weight has settled, as the "stable" mark of a shop scale: the readings of the last {@code window} all
 * lie within {@code toleranceKg} of each other. Until readings cover a whole window (after a start, or once the
 * weight moved) it is not stable.
 */
public class StableWeight {

    private record Reading(Instant at, BigDecimal kg) {
    }

    private final Duration window;
    private final BigDecimal toleranceKg;
    private final Clock clock;
    private final Deque<Reading> recent = new ArrayDeque<>();
    private volatile boolean stable;

    public StableWeight(Duration window, BigDecimal toleranceKg, Clock clock) {
        this.window = window;
        this.toleranceKg = toleranceKg;
        this.clock = clock;
    }

    /** Takes the latest reading; true when it and those of the window before it lie within the tolerance. */
    public synchronized boolean isStable(BigDecimal weightKg) {
        Instant now = clock.instant();
        recent.addLast(new Reading(now, weightKg));
        Instant windowStart = now.minus(window);
        // keep one reading at or before the window's start: it shows that the readings cover the whole window
        while (recent.size() > 1 && !secondOldest().at().isAfter(windowStart)) {
            recent.removeFirst();
        }
        boolean coversWindow = !recent.peekFirst().at().isAfter(windowStart);
        BigDecimal lowest = weightKg;
        BigDecimal highest = weightKg;
        for (Reading reading : recent) {
            lowest = lowest.min(reading.kg());
            highest = highest.max(reading.kg());
        }
        stable = coversWindow && highest.subtract(lowest).compareTo(toleranceKg) <= 0;
        return stable;
    }

    private Reading secondOldest() {
        Iterator<Reading> oldestFirst = recent.iterator();
        oldestFirst.next();
        return oldestFirst.next();
    }

    /** Whether the last reading was stable, for the status page. */
    public boolean isStableNow() {
        return stable;
    }
}
