package io.github.mqttsscale.scale.temperature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LagFilterTest {

    @Test
    void theCellStartsAtTheFirstMeasurement() {
        LagFilter filter = new LagFilter();
        assertThatThrownBy(() -> filter.at(0, 5)).hasMessageContaining("no temperature measured yet");
        filter.measure(100, 21.5, 5);
        assertThat(filter.at(100, 5)).isEqualTo(21.5);
        assertThat(filter.at(1000, 5)).as("held, and the cell is there already").isEqualTo(21.5);
    }

    @Test
    void aStepIsFollowedExponentiallyWithTheLagAsTimeConstant() {
        LagFilter filter = new LagFilter();
        filter.measure(0, 20, 10);
        // a jump: measured twice at the same time
        filter.measure(0, 30, 10);
        assertThat(filter.at(10, 10)).isCloseTo(30 - 10 * Math.exp(-1), within(1e-12));
        assertThat(filter.at(30, 10)).isCloseTo(30 - 10 * Math.exp(-3), within(1e-12));
        assertThat(filter.at(-5, 10)).as("before the last measurement: the cell as it was then").isEqualTo(20);
    }

    @Test
    void aRampIsFollowedExactlyHoweverOftenItIsMeasured() {
        // 1 °C per second from 20 °C: the cell, starting at 20 °C, lags the line by 5 s once the start has faded
        double expected = 30 - 5 + 5 * Math.exp(-2);
        LagFilter once = new LagFilter();
        once.measure(0, 20, 5);
        once.measure(10, 30, 5);
        assertThat(once.at(10, 5)).isCloseTo(expected, within(1e-12));
        LagFilter often = new LagFilter();
        for (double t = 0; t < 10; t += 1.37) {
            often.measure(t, 20 + t, 5);
        }
        assertThat(often.at(10, 5)).as("after the newest measurement, along the same line").isCloseTo(expected,
                within(1e-9));
    }

    @Test
    void theLineGoesOnForOneIntervalAfterTheNewestMeasurementThenTheTemperatureIsHeld() {
        LagFilter filter = new LagFilter();
        filter.measure(0, 20, 0);
        filter.measure(10, 21, 0);
        assertThat(filter.at(15, 0)).as("without lag, the cell is at the line").isCloseTo(21.5, within(1e-12));
        assertThat(filter.at(20, 0)).isCloseTo(22, within(1e-12));
        assertThat(filter.at(3600, 0)).as("no further than one interval").isCloseTo(22, within(1e-12));
        filter.measure(20, 21.5, 0);
        assertThat(filter.at(20, 0)).as("the newest measurement counts, not the line").isEqualTo(21.5);
    }

    @Test
    void aCorrectedCellGoesOnFromTheCorrection() {
        LagFilter filter = new LagFilter();
        filter.measure(0, 20, 5);
        filter.measure(10, 20, 5);
        filter.correctCell(18);
        assertThat(filter.at(15, 5)).isCloseTo(20 - 2 * Math.exp(-1), within(1e-12));
    }
}
