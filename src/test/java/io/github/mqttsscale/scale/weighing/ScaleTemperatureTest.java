package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.github.mqttsscale.hx711.Hx711Constants;
import io.github.mqttsscale.scale.temperature.LagFilter;
import io.github.mqttsscale.scale.temperature.TemperatureSensor;
import io.github.mqttsscale.scale.temperature.TemperatureSensorException;

/**
 * One scale's temperature compensation on a clock of the test's own: the steps read-temperature-sensor and
 * compensate-temperature as the routes call them, and learn-temperature's fit and refusals.
 */
class ScaleTemperatureTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final double TOLERANCE_KG = 0.005;
    private static final Duration READ_INTERVAL = Duration.ofSeconds(1);

    private final TestClock clock = new TestClock();
    private final Thermometer thermometer = new Thermometer();
    private final ScaleProblems problems = new ScaleProblems("test");

    @AfterAll
    static void stopCamel() throws Exception {
        CAMEL.close();
    }

    @Test
    void theWeightLosesWhatTheCellsTemperatureAddsAndCarriesTheTemperature() {
        Calibration calibration = calibration(new TemperatureModel(0.004, Duration.ZERO, 20));
        ScaleTemperature temperature = temperature(calibration);
        thermometer.celsius = 30;
        temperature.read();
        Message reading = reading(new BigDecimal("2.54"));
        temperature.compensate(reading);
        assertThat(reading.getHeader(ScaleHeaders.WEIGHT, BigDecimal.class).doubleValue()).isCloseTo(2.5,
                within(1e-12));
        assertThat(reading.getHeader(ScaleHeaders.TEMPERATURE_C)).isEqualTo(30.0);
        assertThat(temperature.withoutDrift(1000)).as("a tare now takes 0.04 kg of drift off the counts")
                .isEqualTo(1000 - 40);
    }

    @Test
    void theCellFollowsTheMeasuredTemperatureThroughTheLag() {
        ScaleTemperature temperature = temperature(calibration(new TemperatureModel(0.01, Duration.ofSeconds(10), 20)));
        thermometer.celsius = 20;
        temperature.read();
        // a jump, measured at the same time
        thermometer.celsius = 30;
        temperature.read();
        clock.advance(Duration.ofSeconds(10));
        temperature.read();
        Message reading = reading(new BigDecimal("2.5"));
        temperature.compensate(reading);
        assertThat(reading.getHeader(ScaleHeaders.WEIGHT, BigDecimal.class).doubleValue())
                .isCloseTo(2.5 - 0.01 * 10 * (1 - Math.exp(-1)), within(1e-9));
    }

    @Test
    void aFailingSensorIsReportedAndTheWeightGoesOnUncompensatedWithoutTemperature() {
        ScaleTemperature temperature = temperature(calibration(new TemperatureModel(0.004, Duration.ZERO, 20)));
        thermometer.failure = "DS18B20 28-1: the reading failed its CRC check";
        temperature.read();
        Message reading = reading(new BigDecimal("2.54"));
        temperature.compensate(reading);
        assertThat(reading.getHeader(ScaleHeaders.WEIGHT)).isEqualTo(new BigDecimal("2.54"));
        assertThat(reading.getHeader(ScaleHeaders.TEMPERATURE_C)).isNull();
        assertThat(problems.now()).containsEntry(ScaleTemperature.PROBLEM,
                "no temperature from the test thermometer, the weight is not compensated: "
                        + "DS18B20 28-1: the reading failed its CRC check");

        thermometer.failure = null;
        thermometer.celsius = 30;
        temperature.read();
        assertThat(problems.now()).isEmpty();
        temperature.compensate(reading);
        assertThat(reading.getHeader(ScaleHeaders.TEMPERATURE_C)).isEqualTo(30.0);
    }

    @Test
    void aTemperatureNoLongerReadIsNoneAndTheRouteIsNamed() {
        ScaleTemperature temperature = temperature(calibration(new TemperatureModel(0.004, Duration.ZERO, 20)));
        thermometer.celsius = 30;
        temperature.read();
        clock.advance(Duration.ofSeconds(6));
        Message reading = reading(new BigDecimal("2.54"));
        temperature.compensate(reading);
        assertThat(reading.getHeader(ScaleHeaders.TEMPERATURE_C)).isNull();
        assertThat(problems.now().get(ScaleTemperature.PROBLEM)).contains("is the route read-temperature running?");
    }

    @Test
    void withoutASensorNothingIsReadNorChangedAndLearningIsRefused() {
        ScaleTemperature temperature = new ScaleTemperature("test", null, READ_INTERVAL,
                calibration(TemperatureModel.NONE), problems, TOLERANCE_KG, clock);
        temperature.read();
        Message reading = reading(new BigDecimal("2.5"));
        temperature.compensate(reading);
        assertThat(reading.getHeaders()).doesNotContainKey(ScaleHeaders.TEMPERATURE_C);
        assertThatThrownBy(() -> temperature.learn(10)).hasMessageContaining("set scale.temperature.source");
    }

    @Test
    void learningRecoversTheCellsCoefficientAndLagAndAppliesThem() {
        Calibration calibration = calibration(TemperatureModel.NONE);
        ScaleTemperature temperature = temperature(calibration);
        Cell cell = new Cell(0.004, 5);
        thermometer.celsius = cell.air(0);
        temperature.read();
        assertThatThrownBy(() -> temperature.learn(0.01)).hasMessageContaining("minutes must be from 0.1 to 10080");
        assertThat(temperature.learn(2)).contains("over 2 min, until " + clock.instant().plusSeconds(120));
        assertThatThrownBy(() -> temperature.learn(2)).hasMessageContaining("already learning");

        TemperatureLearned learned = run(temperature, cell, 121, 0);
        assertThat(learned.ok()).as(learned.reason()).isTrue();
        assertThat(learned.zeroDriftKgPerC()).isCloseTo(0.004, within(0.00004));
        assertThat(learned.lagSeconds()).isCloseTo(5, within(0.2));
        assertThat(learned.temperatureMinC()).isLessThan(13);
        assertThat(learned.temperatureMaxC()).isGreaterThan(27);
        assertThat(learned.referenceC()).isEqualTo(20.0);
        assertThat(calibration.temperatureModel().zeroDriftKgPerC()).isEqualTo(learned.zeroDriftKgPerC());
        assertThat(calibration.temperatureModel().lag())
                .isEqualTo(Duration.ofMillis(Math.round(learned.lagSeconds() * 1000)));
        assertThat(temperature.learningState()).isEqualTo(learned.reason());

        // compensated with it, the next period stays within a gram of the load
        double worst = 0;
        for (int tenth = 1210; tenth < 1810; tenth++) {
            double t = tenth / 10.0;
            clock.set(t);
            if (tenth % 10 == 0) {
                thermometer.celsius = cell.air(t);
                temperature.read();
            }
            Message reading = reading(BigDecimal.valueOf(cell.weight(t)));
            temperature.compensate(reading);
            worst = Math.max(worst,
                    Math.abs(reading.getHeader(ScaleHeaders.WEIGHT, BigDecimal.class).doubleValue() - 2.5));
        }
        assertThat(worst).isLessThan(0.001);
    }

    @Test
    void aChangedLoadIsRefusedAndTheModelStaysAsItWas() {
        Calibration calibration = calibration(TemperatureModel.NONE);
        ScaleTemperature temperature = temperature(calibration);
        Cell cell = new Cell(0.004, 5);
        thermometer.celsius = cell.air(0);
        temperature.read();
        temperature.learn(2);
        TemperatureLearned learned = run(temperature, cell, 121, 0.05);
        assertThat(learned.ok()).isFalse();
        assertThat(learned.reason()).startsWith("the load changed while learning: by 0.0")
                .contains("more than the stable tolerance 0.005 kg");
        assertThat(calibration.temperatureModel()).isEqualTo(TemperatureModel.NONE);
    }

    @Test
    void aTemperatureThatHardlyMovedIsRefused() {
        ScaleTemperature temperature = temperature(calibration(TemperatureModel.NONE));
        Cell cell = new Cell(0.004, 5);
        cell.amplitude = 0.8;
        thermometer.celsius = cell.air(0);
        temperature.read();
        temperature.learn(1);
        TemperatureLearned learned = run(temperature, cell, 61, 0);
        assertThat(learned.ok()).isFalse();
        assertThat(learned.reason()).startsWith("the temperature moved only 1.6").contains("at least 2 °C");
        assertThat(learned.zeroDriftKgPerC()).as("no fit").isNull();
    }

    @Test
    void aTareWhileLearningSpoilsIt() {
        Calibration calibration = calibration(TemperatureModel.NONE);
        ScaleTemperature temperature = temperature(calibration);
        Cell cell = new Cell(0.004, 5);
        thermometer.celsius = cell.air(0);
        temperature.read();
        temperature.learn(1);
        calibration.tare(200);
        TemperatureLearned learned = run(temperature, cell, 61, 0);
        assertThat(learned.ok()).isFalse();
        assertThat(learned.reason()).contains("tared or calibrated while learning");
    }

    @Test
    void aFitThatLeavesTooMuchUnexplainedIsPoor() {
        ScaleTemperature temperature = temperature(calibration(TemperatureModel.NONE));
        Cell cell = new Cell(0.004, 5);
        cell.noiseKg = 0.01;
        thermometer.celsius = cell.air(0);
        temperature.read();
        temperature.learn(2);
        TemperatureLearned learned = run(temperature, cell, 121, 0);
        assertThat(learned.ok()).isFalse();
        assertThat(learned.reason()).startsWith("the fit is poor");
        assertThat(learned.residualKg()).isGreaterThan(TOLERANCE_KG / 2);
    }

    /**
     * Runs the routes for {@code seconds}: the thermometer read every second, a weight every tenth; with
     * {@code jumpKg} put on the scale halfway. Returns the answer once learning's time is up.
     */
    private TemperatureLearned run(ScaleTemperature temperature, Cell cell, int seconds, double jumpKg) {
        double start = clock.seconds();
        for (int tenth = 1; tenth <= seconds * 10; tenth++) {
            double t = start + tenth / 10.0;
            clock.set(t);
            double load = t - start > seconds / 2.0 ? jumpKg : 0;
            temperature.compensate(reading(BigDecimal.valueOf(cell.weight(t) + load)));
            if (tenth % 10 == 0) {
                thermometer.celsius = cell.air(t);
                temperature.read();
                if (temperature.learningTimeUp()) {
                    return temperature.finishLearning();
                }
            }
        }
        throw new AssertionError("learning did not end in " + seconds + " s");
    }

    private Message reading(BigDecimal kg) {
        Message message = new DefaultMessage(CAMEL);
        message.setHeader(ScaleHeaders.WEIGHT, kg);
        message.setHeader(Hx711Constants.TIMESTAMP, clock.instant());
        return message;
    }

    private ScaleTemperature temperature(Calibration calibration) {
        return new ScaleTemperature("test", thermometer, READ_INTERVAL, calibration, problems, TOLERANCE_KG, clock);
    }

    private static Calibration calibration(TemperatureModel model) {
        return new Calibration(new CalibrationValues(0, 1000), model, null);
    }

    /** A 2.5 kg load on a cell that follows the air (20 ± amplitude °C, a 60 s cycle) through its lag. */
    private static final class Cell {
        private final double coefficient;
        private final double lag;
        private double amplitude = 8;
        private double noiseKg;
        private final java.util.Random noise = new java.util.Random(7);
        private final LagFilter finely = new LagFilter();

        Cell(double coefficient, double lag) {
            this.coefficient = coefficient;
            this.lag = lag;
        }

        double air(double t) {
            return 20 + amplitude * Math.sin(2 * Math.PI * t / 60);
        }

        double weight(double t) {
            if (!finely.started()) {
                finely.measure(t, air(t), lag);
            }
            for (double s = finely.time() + 0.01; s <= t; s += 0.01) {
                finely.measure(s, air(s), lag);
            }
            return 2.5 + coefficient * (finely.at(t, lag) - 20) + noise.nextGaussian() * noiseKg;
        }
    }

    private static final class Thermometer implements TemperatureSensor {
        private double celsius;
        private String failure;

        @Override
        public double readC() {
            if (failure != null) {
                throw new TemperatureSensorException(failure);
            }
            return celsius;
        }

        @Override
        public String describe() {
            return "the test thermometer";
        }
    }

    private static final class TestClock extends Clock {
        private static final Instant START = Instant.parse("2026-12-07T00:00:00Z");
        private Instant now = START;

        void advance(Duration by) {
            now = now.plus(by);
        }

        void set(double seconds) {
            now = START.plusNanos(Math.round(seconds * 1e9));
        }

        double seconds() {
            return Duration.between(START, now).toNanos() / 1e9;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
