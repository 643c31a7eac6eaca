package io.github.mqttsscale.hx711;

import java.util.Arrays;

/** The median resists the occasional spike that an average would smear into the reading. */
final class Median {

    private Median() {
    }

    /** Even counts give the mean of the two middle values, rounded half up. */
    static int of(int[] values, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("median of no values");
        }
        int[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int middle = count / 2;
        if (count % 2 == 1) {
            return sorted[middle];
        }
        long sum = (long) sorted[middle - 1] + sorted[middle];
        return (int) Math.floorDiv(sum + 1, 2);
    }
}
