package io.github.mqttsscale.hx711;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MedianTest {

    @Test
    void oddCountTakesTheMiddleValueWhateverTheOrder() {
        assertEquals(7, Median.of(new int[] { 900000, 7, -3, 8, 5 }, 5));
    }

    @Test
    void evenCountTakesTheRoundedMeanOfTheTwoMiddleValues() {
        assertEquals(6, Median.of(new int[] { 5, 1, 6, 100 }, 4));
        assertEquals(-5, Median.of(new int[] { -6, -5, -1000, 1000 }, 4));
        assertEquals(8388607, Median.of(new int[] { 8388607, 8388607 }, 2));
    }

    @Test
    void onlyTheCountedValuesTakePart() {
        assertEquals(2, Median.of(new int[] { 3, 1, 999, 999 }, 2));
    }

    @Test
    void noValuesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Median.of(new int[0], 0));
    }
}
