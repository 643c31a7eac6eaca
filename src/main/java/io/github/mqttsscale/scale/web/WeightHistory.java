package io.github.mqttsscale.scale.web;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** The weights read in the last minutes, for the status page's plot: at most one point per 1/600 of the span. */
public class WeightHistory {

    /** One reading: when, and what it weighed. */
    public record Point(Instant at, BigDecimal kg) {
    }

    private static final int MAX_POINTS = 600;

    private final Duration span;
    private final Duration step;
    private final Clock clock;
    private final Deque<Point> points = new ArrayDeque<>();
    private Point latest;

    public WeightHistory(Duration span, Clock clock) {
        this.span = span;
        this.step = span.dividedBy(MAX_POINTS);
        this.clock = clock;
    }

    public synchronized void add(BigDecimal kg) {
        Instant now = clock.instant();
        latest = new Point(now, kg);
        Point last = points.peekLast();
        if (points.size() > 1 && now.isBefore(last.at().plus(step))) {
            points.removeLast(); // one point per step: the latest reading in it
        }
        points.addLast(latest);
        Instant oldest = now.minus(span);
        while (points.size() > MAX_POINTS || points.peekFirst().at().isBefore(oldest)) {
            points.removeFirst();
        }
    }

    public synchronized Optional<Point> latest() {
        return Optional.ofNullable(latest);
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }

    public Duration span() {
        return span;
    }
}
