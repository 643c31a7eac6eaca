package io.github.mqttsscale.scale.monitoring;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import io.github.mqttsscale.scale.weighing.ScaleProblems;
import io.github.mqttsscale.scale.weighing.WeightReports;

/**
 * What {@link Diagnostics} reports, and when: the scale's problems, the samples its HX711 driver rejected over the last
 * minute, and its zero shift. The route asks {@link #due()} every few seconds: a report is due at the start, a minute
 * after the last one, as soon as a problem begins or ends, and again at the next check when the last could not be
 * published (the broker away: a report is state, not data, so it is not kept; the next one replaces it). A problem's
 * text alone changing (it may name the weight of each reading) waits for the next minute.
 */
class DiagnosticsReports {

    /** How often a report goes out while nothing changes. */
    static final Duration EVERY = Duration.ofMinutes(1);
    /** Over how long the rejected samples are counted. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private record Count(Instant at, long rejected) {
    }

    private final String deviceId;
    private final ScaleProblems problems;
    private final Supplier<OptionalLong> rejectedTotal;
    private final DoubleSupplier zeroShiftKg;
    private final Clock clock;
    /** The rejected totals of the checks over the last minute, oldest first, and one at or before its start. */
    private final Deque<Count> counts = new ArrayDeque<>();
    /** When the last report was published; null: due at the next check. */
    private Instant reportedAt;
    private Set<String> reportedProblems = Set.of();

    DiagnosticsReports(String deviceId, ScaleProblems problems, Supplier<OptionalLong> rejectedTotal,
            DoubleSupplier zeroShiftKg, Clock clock) {
        this.deviceId = deviceId;
        this.problems = problems;
        this.rejectedTotal = rejectedTotal;
        this.zeroShiftKg = zeroShiftKg;
        this.clock = clock;
    }

    /** A check: counts the rejected samples, and says whether a report is due now. */
    synchronized boolean due() {
        Instant now = clock.instant();
        count(now);
        return reportedAt == null || !now.isBefore(reportedAt.plus(EVERY))
                || !problems.now().keySet().equals(reportedProblems);
    }

    /** The report, as of now; the next is due a minute later, or when a problem begins or ends. */
    synchronized DiagnosticsReport report() {
        Instant now = clock.instant();
        Map<String, String> current = problems.now();
        reportedAt = now;
        reportedProblems = Set.copyOf(current.keySet());
        return new DiagnosticsReport(deviceId, WeightReports.timestamp(now), !current.isEmpty(), current,
                rejectedPerMinute(), BigDecimal.valueOf(zeroShiftKg.getAsDouble()).setScale(6, RoundingMode.HALF_UP));
    }

    /** The report could not be published: the next check makes another. */
    synchronized void notPublished() {
        reportedAt = null;
    }

    private void count(Instant now) {
        OptionalLong total = rejectedTotal.get();
        if (total.isEmpty() || (!counts.isEmpty() && total.getAsLong() < counts.peekLast().rejected())) {
            counts.clear(); // the load cell's route does not run, or runs anew with counters of its own
        }
        if (total.isPresent()) {
            counts.addLast(new Count(now, total.getAsLong()));
        }
        Instant windowStart = now.minus(RATE_WINDOW);
        while (counts.size() > 1 && !secondOldest().at().isAfter(windowStart)) {
            counts.removeFirst();
        }
    }

    private Count secondOldest() {
        Iterator<Count> oldestFirst = counts.iterator();
        oldestFirst.next();
        return oldestFirst.next();
    }

    /** Per minute, from the checks of the last minute (fewer right after the start); null without two checks. */
    private Long rejectedPerMinute() {
        if (counts.size() < 2) {
            return null;
        }
        long spanMillis = Duration.between(counts.peekFirst().at(), counts.peekLast().at()).toMillis();
        long rejected = counts.peekLast().rejected() - counts.peekFirst().rejected();
        return spanMillis <= 0 ? null : Math.round(rejected * (double) RATE_WINDOW.toMillis() / spanMillis);
    }
}
