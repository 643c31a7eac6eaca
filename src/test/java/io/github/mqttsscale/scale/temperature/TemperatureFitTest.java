package io.github.mqttsscale.scale.temperature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The fit recovers a known coefficient and lag from synthetic recordings. */
class TemperatureFitTest {

    private static final double PERIOD = 60;
    private static final double AMPLITUDE = 8;

    /** The air's temperature cycle, as the simulator's and a day's. */
    private static double air(double t) {
        return 20 + AMPLITUDE * Math.sin(2 * Math.PI * t / PERIOD);
    }

    @Test
    void recoversCoefficientAndLagOfTheModelItFits() {
        double coefficient = 0.004;
        double lag = 5;
        Recording recording = recording(coefficient, lag, 120, 1, 0.05, 0, false, 0);
        TemperatureFit.Result fit = new TemperatureFit(recording.temperatureTimes, recording.temperatures,
                recording.weightTimes, recording.weights).best(3 * 120);
        assertThat(fit.coefficient()).isCloseTo(coefficient, within(coefficient * 0.002));
        assertThat(fit.lagSeconds()).isCloseTo(lag, within(0.05));
        assertThat(fit.intercept()).isCloseTo(2.5 - coefficient * 20, within(1e-4));
        assertThat(fit.rSquared()).isGreaterThan(0.9999);
        assertThat(fit.residualRms()).isLessThan(1e-5);
    }

    @Test
    void recoversThemFromACellThatLagsTheTrueAirAndStartedElsewhere() {
        // the real cell follows the air continuously, the sensor is read once a second; the cell starts 3 °C off what
        // the filter assumes, and the readings are noisy
        Recording recording = recording(0.004, 5, 120, 1, 0.05, 0.0005, true, 3);
        TemperatureFit.Result fit = new TemperatureFit(recording.temperatureTimes, recording.temperatures,
                recording.weightTimes, recording.weights).best(3 * 120);
        assertThat(fit.coefficient()).isCloseTo(0.004, within(0.00004));
        assertThat(fit.lagSeconds()).isCloseTo(5, within(0.2));
        assertThat(fit.startDifferenceC()).as("where the cell started").isCloseTo(3, within(0.3));
        assertThat(fit.residualRms()).isLessThan(0.0006);
    }

    @Test
    void aLoadThatWasPutOnIsAStepTheTemperatureDoesNotExplain() {
        Recording recording = recording(0.004, 5, 40, 1, 0.05, 0, false, 0);
        for (int j = 0; j < recording.weights.length; j++) {
            if (recording.weightTimes[j] > 17) {
                recording.weights[j] += 0.1;
            }
        }
        TemperatureFit fit = new TemperatureFit(recording.temperatureTimes, recording.temperatures,
                recording.weightTimes, recording.weights);
        TemperatureFit.Result constant = fit.best(3 * 40);
        TemperatureFit.Result stepped = fit.bestWithStep(3 * 40);
        assertThat(stepped.stepKg()).isCloseTo(0.1, within(1e-4));
        assertThat(stepped.stepTime()).isCloseTo(17, within(0.06));
        assertThat(stepped.coefficient()).isCloseTo(0.004, within(1e-5));
        assertThat(stepped.sumOfSquares()).isLessThan(constant.sumOfSquares() / 1000);
    }

    @Test
    void noiseIsNoStep() {
        Recording recording = recording(0.004, 5, 120, 1, 0.05, 0.01, false, 0);
        TemperatureFit fit = new TemperatureFit(recording.temperatureTimes, recording.temperatures,
                recording.weightTimes, recording.weights);
        TemperatureFit.Result stepped = fit.bestWithStep(3 * 120);
        assertThat(stepped.stepKg()).isCloseTo(0, within(0.004));
        assertThat(stepped.sumOfSquares()).isGreaterThan(fit.best(3 * 120).sumOfSquares() * 0.9);
    }

    @Test
    void aCellWithoutDriftGivesACoefficientNearZero() {
        Recording recording = recording(0, 5, 120, 1, 0.05, 0.0002, false, 0);
        TemperatureFit.Result fit = new TemperatureFit(recording.temperatureTimes, recording.temperatures,
                recording.weightTimes, recording.weights).best(3 * 120);
        assertThat(fit.coefficient()).isCloseTo(0, within(0.0001));
        assertThat(fit.residualRms()).isLessThan(0.0005);
    }

    private record Recording(double[] temperatureTimes, double[] temperatures, double[] weightTimes,
            double[] weights) {
    }

    /**
     * A constant 2.5 kg load read every {@code weightStep} s with the cell drifting {@code coefficient} kg/°C from
     * 20 °C, the air measured every {@code temperatureStep} s.
     *
     * @param continuous true: the cell follows the air itself (integrated finely); false: the fit's own filter over
     *                   the measurements
     * @param cellOffset how far the cell's temperature starts from the air's
     */
    private static Recording recording(double coefficient, double lag, double span, double temperatureStep,
            double weightStep, double noiseKg, boolean continuous, double cellOffset) {
        int temperatureCount = (int) (span / temperatureStep) + 1;
        double[] temperatureTimes = new double[temperatureCount];
        double[] temperatures = new double[temperatureCount];
        for (int i = 0; i < temperatureCount; i++) {
            temperatureTimes[i] = i * temperatureStep;
            temperatures[i] = air(temperatureTimes[i]);
        }
        int weightCount = (int) (span / weightStep);
        double[] weightTimes = new double[weightCount];
        double[] weights = new double[weightCount];
        Random noise = new Random(20);
        LagFilter held = new LagFilter();
        int next = 0;
        double cell = air(0) + cellOffset;
        double t = 0;
        double fine = 0.001;
        for (int j = 0; j < weightCount; j++) {
            weightTimes[j] = j * weightStep + 0.01;
            double cellNow;
            if (continuous) {
                while (t < weightTimes[j]) {
                    cell += (air(t + fine / 2) - cell) * (1 - Math.exp(-fine / lag));
                    t += fine;
                }
                cellNow = cell;
            } else {
                while (next < temperatureCount && temperatureTimes[next] <= weightTimes[j]) {
                    held.measure(temperatureTimes[next], temperatures[next], lag);
                    next++;
                }
                cellNow = held.at(weightTimes[j], lag);
            }
            weights[j] = 2.5 + coefficient * (cellNow - 20) + noise.nextGaussian() * noiseKg;
        }
        return new Recording(temperatureTimes, temperatures, weightTimes, weights);
    }
}
