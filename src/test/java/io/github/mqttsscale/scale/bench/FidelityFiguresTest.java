package io.github.mqttsscale.scale.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.mqttsscale.scale.weighing.TemperatureModel;

/**
 * The figures docs/fidelity.md gives from {@link FidelityFigures} stay what it says, and what issue 20 expects of the
 * simulated cell: about ±30 g uncompensated, within 3 g with the true model; two-point calibration 100 g off at half
 * scale, multi-point within 2 divisions between its points. Simulated time: no waiting.
 */
class FidelityFiguresTest {

    @Test
    void aTemperatureCycleSwingsTheWeightAndTheTrueModelTakesItOut() {
        List<FidelityFigures.Second> run = FidelityFigures.temperatureRun(
                FidelityFigures.WARM_UP_S + FidelityFigures.MEASURED_S);
        TemperatureModel truth = new TemperatureModel(0.004, Duration.ofSeconds(5), 20);
        double omegaTau = 2 * Math.PI / 60 * 5;

        FidelityFigures.Errors none = FidelityFigures.errors(run, second -> 0);
        FidelityFigures.Errors interpolating = FidelityFigures.errors(run,
                FidelityFigures.compensation(run, truth, FidelityFigures.Estimate.INTERPOLATING, 1));
        FidelityFigures.Errors stepping = FidelityFigures.errors(run,
                FidelityFigures.compensation(run, truth, FidelityFigures.Estimate.STEPPING, 1));

        assertThat(none.largestKg()).as("0.004 kg/°C × the cell's swing, 8 °C / √(1+(ωτ)²)")
                .isCloseTo(0.004 * 8 / Math.sqrt(1 + omegaTau * omegaTau), within(0.0002));
        assertThat(none.lowestKg()).isCloseTo(-none.highestKg(), within(0.0002));
        assertThat(interpolating.largestKg()).isLessThan(0.0005);
        assertThat(stepping.largestKg()).isLessThan(0.003);
        TemperatureModel learned = FidelityFigures.learned(run);
        assertThat(learned.zeroDriftKgPerC()).isCloseTo(0.004, within(0.0002));
        assertThat(learned.lag().toMillis()).isCloseTo(5000, within(300L));
        assertThat(FidelityFigures.errors(run,
                FidelityFigures.compensation(run, learned, FidelityFigures.Estimate.INTERPOLATING, 1)).largestKg())
                .as("learned from 2 minutes: within 3 g").isLessThan(0.003);
    }

    @Test
    void aNonLinearCellIsOffBetweenTwoPointsAndCloseBetweenFive() {
        Map<Double, Double> twoPoint = FidelityFigures.calibrationErrorsKg(10);
        Map<Double, Double> multiPoint = FidelityFigures.calibrationErrorsKg(2.5, 5, 7.5, 10);

        assertThat(twoPoint.get(5.0)).as("1 % of 10 kg at half scale").isCloseTo(0.1, within(0.0005));
        for (double load : new double[]{1.25, 3.75, 6.25, 8.75}) {
            assertThat(Math.abs(multiPoint.get(load))).as("at " + load + " kg, in kg").isLessThan(2 * 0.005);
        }
    }

    @Test
    void zeroTrackingHoldsACreepingEmptyScaleAtZeroAndLeavesALoadAddedFasterThanItsRate() {
        FidelityFigures.Tracked creeping = FidelityFigures.zeroTrackingRun(0.36, 0, 120);
        assertThat(creeping.untrackedKg()).as("0.36 kg/h for 2 minutes").isCloseTo(0.012, within(0.0002));
        assertThat(creeping.largestErrorKg()).as("within 1 g, half a division").isLessThan(0.001);
        assertThat(creeping.zeroShiftKg()).as("the zero followed the creep").isCloseTo(0.012, within(0.001));

        FidelityFigures.Tracked filling = FidelityFigures.zeroTrackingRun(0, 0.002, 120);
        assertThat(filling.trackedKg()).as("2 g/s, twice the rate: out of the band within a second, 1 g taken at most")
                .isCloseTo(0.24, within(0.0011));
        FidelityFigures.Tracked seeping = FidelityFigures.zeroTrackingRun(0, 0.0005, 120);
        assertThat(seeping.trackedKg()).as("slower than the rate: taken for drift, as on every scale with tracking")
                .isCloseTo(0, within(0.001));
    }
}
