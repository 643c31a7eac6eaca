package io.github.mqttsscale.scale.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Assertions on the seq of the readings that arrived: none lost, in order, few duplicates. */
public final class DeliveryAssertions {

    private DeliveryAssertions() {
    }

    /**
     * Every seq from the first to the last arrived, never going back; at most one duplicate (same seq) per outage:
     * the reading in flight when the link broke, which the broker may have had although its PUBACK never came back.
     */
    public static void assertNothingLostInOrder(List<Long> arrived, int outages) {
        TreeSet<Long> distinct = new TreeSet<>(arrived);
        List<Long> missing = new ArrayList<>();
        for (long seq = distinct.first(); seq <= distinct.last(); seq++) {
            if (!distinct.contains(seq)) {
                missing.add(seq);
            }
        }
        assertThat(missing).as("readings lost").isEmpty();
        assertThat(arrived).as("arrival order").isSorted();
        assertThat(arrived.size() - distinct.size()).as("duplicates after " + outages + " outage(s)")
                .isLessThanOrEqualTo(outages);
    }

    public static void assertDuplicatesUnderOnePercent(List<Long> arrived) {
        long distinct = arrived.stream().distinct().count();
        assertThat(100.0 * (arrived.size() - distinct) / distinct).as("duplicates, %% of %d readings", distinct)
                .isLessThan(1.0);
    }
}
