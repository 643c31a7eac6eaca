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
        filter.measure(0, 30, 10);
        assertThat(filter.at(10, 10)).isCloseTo(30 - 10 * Math.exp(-1), within(1e-12));
        assertThat(filter.at(30, 10)).isCloseTo(30 - 10 * Math.exp(-3), within(1e-12));
        assertThat(filter.at(-5, 10)).as("before the last measurement: the cell as it was then").isEqualTo(20);
    }

    @Test
    void theUpdateIsExactHoweverOftenTheSameTemperatureIsMeasured() {
        LagFilter once = new LagFilter();
        once.measure(0, 10, 7);
        once.measure(1, 25, 7);
        LagFilter often = new LagFilter();
        often.measure(0, 10, 7);
        often.measure(1, 25, 7);
        for (double t = 1.37; t < 40; t += 1.37) {
            often.measure(t, 25, 7);
        }
        assertThat(often.at(45, 7)).isCloseTo(once.at(45, 7), within(1e-12));
    }

    @Test
    void withoutLagTheCellIsAtTheMeasuredTemperature() {
        LagFilter filter = new LagFilter();
        filter.measure(0, 10, 0);
        filter.measure(1, 14, 0);
        assertThat(filter.at(1, 0)).isEqualTo(14);
        assertThat(filter.at(1, 5)).as("a lag learned later starts from there").isEqualTo(14);
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
