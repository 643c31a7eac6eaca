package io.github.mqttsscale.hx711;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Hx711CombineTest {

    @Test
    void theMedianTakesTheMiddleValueWhateverTheOrder() {
        assertEquals(7, Hx711Combine.MEDIAN.combine(new int[]{900000, 7, -3, 8, 5}, 5));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValuesWithItsFraction() {
        assertEquals(5.5, Hx711Combine.MEDIAN.combine(new int[]{5, 1, 6, 100}, 4));
        assertEquals(-5.5, Hx711Combine.MEDIAN.combine(new int[]{-6, -5, -1000, 1000}, 4));
        assertEquals(8388607, Hx711Combine.MEDIAN.combine(new int[]{8388607, 8388607}, 2));
    }

    @Test
    void theTrimmedMeanDropsTheHighestAndLowestFifthAndKeepsTheFraction() {
        // 5 samples: one dropped at each end
        assertEquals(7.0, Hx711Combine.TRIMMED_MEAN.combine(new int[]{900000, 7, -30000, 8, 6}, 5));
        // 10 samples: two at each end; the six left average to 10.5
        assertEquals(10.5, Hx711Combine.TRIMMED_MEAN.combine(
                new int[]{8, 9, 10, 11, 12, 13, -500000, 700000, 800000, -900000}, 10));
        // below 5 samples nothing is dropped: the plain mean
        assertEquals(2.5, Hx711Combine.TRIMMED_MEAN.combine(new int[]{1, 2, 3, 4}, 4));
    }

    @Test
    void onlyTheCountedValuesTakePartAndNoValuesIsAnError() {
        assertEquals(2, Hx711Combine.MEDIAN.combine(new int[]{3, 1, 999, 999}, 2));
        assertThrows(IllegalArgumentException.class, () -> Hx711Combine.TRIMMED_MEAN.combine(new int[0], 0));
    }

    @Test
    void optionValuesReadBothWaysAndABadOneIsNamed() {
        for (Hx711Combine combine : Hx711Combine.values()) {
            assertEquals(combine, Hx711Combine.of(combine.optionValue()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hx711Combine.of("mean"));
        assertTrue(e.getMessage().startsWith("Invalid combine mean: allowed values are median"), e.getMessage());
    }
}
