package io.github.mqttsscale.hx711;

import java.util.Arrays;
import java.util.Locale;

/** How the good samples of one reading become its value. */
public enum Hx711Combine {

    /**
     * The middle sample (an even count: the mean of the two middle ones): one wild sample cannot move it, but it
     * keeps only one or two samples' information (for Gaussian noise its variance is about 1.57 times the mean's).
     */
    MEDIAN {
        @Override
        double ofSorted(int[] sorted, int count) {
            int middle = count / 2;
            return count % 2 == 1 ? sorted[middle] : ((double) sorted[middle - 1] + sorted[middle]) / 2;
        }
    },

    /**
     * The mean of the samples left after the highest and the lowest {@value #TRIMMED_SHARE_PERCENT} % are dropped
     * (one of each at 5 samples, two at 10): as steady as the mean on noise, and the spikes are what is dropped. Below
     * 5 samples nothing is dropped, so it is the plain mean.
     */
    TRIMMED_MEAN {
        @Override
        double ofSorted(int[] sorted, int count) {
            int dropped = count * TRIMMED_SHARE_PERCENT / 100;
            long sum = 0;
            for (int i = dropped; i < count - dropped; i++) {
                sum += sorted[i];
            }
            return (double) sum / (count - 2 * dropped);
        }
    };

    /** Share of the samples dropped at each end by {@link #TRIMMED_MEAN}. */
    public static final int TRIMMED_SHARE_PERCENT = 20;

    abstract double ofSorted(int[] sorted, int count);

    /** The value of the first {@code count} values, with its fraction of a count. */
    public double combine(int[] values, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("no samples to combine");
        }
        int[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return ofSorted(sorted, count);
    }

    /** How the option is written: "median", "trimmed-mean". */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the allowed values */
    public static Hx711Combine of(String optionValue) {
        for (Hx711Combine combine : values()) {
            if (optionValue != null && combine.optionValue().equalsIgnoreCase(optionValue.replace('_', '-'))) {
                return combine;
            }
        }
        throw new Hx711InvalidOptionException("combine",
                "Invalid combine " + optionValue + ": allowed values are median (a wild"
                        + " sample cannot move it) or trimmed-mean (steadier on noise)");
    }
}
