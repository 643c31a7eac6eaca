package io.github.mqttsscale.scale.testsupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;

/** The scale's count of published weights, as its metrics give it. */
public final class PublishedWeights {

    private PublishedWeights() {
    }

    /** scale.published, live and from the outbox: every weight the broker took. */
    public static double counted(MeterRegistry registry) {
        Search published = registry.find("scale.published");
        return published.counters().stream().mapToDouble(Counter::count).sum()
                + published.functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
    }
}
