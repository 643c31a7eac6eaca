package io.github.mqttsscale.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.hx711.Hx711Driver;
import io.github.mqttsscale.hx711.Hx711Gain;
import io.github.mqttsscale.hx711.Hx711Settings;
import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.hx711.Hx711SimulatorTesting;
import io.github.mqttsscale.hx711.Hx711Wire;
import io.github.mqttsscale.hx711.Hx711Wiring;
import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.CalibrationFile;
import io.github.mqttsscale.scale.weighing.CalibrationPoint;
import io.github.mqttsscale.scale.weighing.CalibrationValues;
import io.github.mqttsscale.scale.weighing.TemperatureModel;

/** The guided calibration at the terminal, with a simulated HX711 whose load the "user" changes between answers. */
class GuidedCalibrationTest {

    @TempDir
    Path dataDir;

    private final Hx711Simulator simulator = new Hx711Simulator();
    private Hx711Wire pins;
    private Hx711Driver driver;
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();

    @BeforeEach
    void wire() {
        simulator.setRate(80);
        // a load cell unlike the configured first-run values
        simulator.setOffsetCounts(-20_000);
        simulator.setCountsPerKg(31_000);
        pins = new Hx711Wiring.Gpio(5, 6).wire(simulator);
        driver = new Hx711Driver(pins, Hx711Settings.defaults().withRate(80));
    }

    @AfterEach
    void unwire() {
        pins.close();
        simulator.close();
    }

    @Test
    void emptyTheScalePutAKnownWeightOnItDone() {
        simulator.setLoadKg(0.7); // the empty scale's own parts, tared away
        int exit = guided(answers(load(0.7, ""), load(2.7, "2.0"))).run();

        assertThat(exit).isZero();
        assertThat(output()).contains("Step 1 of 2", "Zero saved", "Step 2 of 2", "counts per kg", "Done");
        CalibrationValues saved = new CalibrationFile(dataDir).load().orElseThrow();
        assertThat(saved.countsPerKg()).isCloseTo(31_000, within(31.0));
        // a new start reads other loads right
        Calibration restarted = new Calibration(new CalibrationValues(75353, 12780), TemperatureModel.NONE,
                new CalibrationFile(dataDir));
        simulator.setLoadKg(0.7 + 5.0);
        assertThat(restarted.toKilograms(Hx711SimulatorTesting.expectedCounts(simulator, Hx711Gain.A128)).doubleValue())
                .isCloseTo(5.0, within(0.01));
    }

    @Test
    void moreKnownWeightsAreAddedUntilAnEmptyAnswer() {
        simulator.setLoadKg(0);
        int exit = guided(answers(load(0, ""), load(2, "2"), load(5, "5"), load(5, "five"), load(10, "10"),
                load(10, ""))).run();

        assertThat(exit).isZero();
        assertThat(output()).contains("More known weights", "Added: 2 known weights now (2.0, 5.0 kg)",
                "'five' is not a weight in kg", "Added: 3 known weights now (2.0, 5.0, 10.0 kg)", "Done");
        assertThat(new CalibrationFile(dataDir).load().orElseThrow().points()).extracting(CalibrationPoint::kg)
                .containsExactly(2.0, 5.0, 10.0);
    }

    @Test
    void refusedAnswersSayWhyAndAskAgain() {
        simulator.setLoadKg(0);
        int exit = guided(answers(load(0, ""), load(0, "two"), load(0, "0"), load(0, "2"), load(2, "2"))).run();

        assertThat(exit).isZero();
        assertThat(output()).contains("'two' is not a weight in kg", "must be above 0 kg", "no load detected");
        assertThat(new CalibrationFile(dataDir).load().orElseThrow().countsPerKg()).isCloseTo(31_000, within(31.0));
    }

    @Test
    void quittingKeepsWhatWasSavedAndSaysSo() {
        simulator.setLoadKg(0);
        int exit = guided(answers(load(0, ""), load(0, "q"))).run();

        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains("Stopped");
        assertThat(new CalibrationFile(dataDir).load().orElseThrow().offset())
                .isCloseTo(-20_000, within(5));
    }

    @Test
    void theCalibrateSubCommandReadsTheScalesSettingsAndStopsAtTheEndOfInput() {
        assertThat(SubCommands.run(new String[]{"--scale.sensor=simulated"}, System.in, System.out))
                .as("settings alone start the scale").isEmpty();

        int exit = SubCommands.run(new String[]{"calibrate", "--scale.sensor=simulated", "--scale.hx711.rate=80",
                "--scale.data-dir=" + dataDir, "--scale.simulator.load-kg=0"},
                new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(terminal, true, StandardCharsets.UTF_8)).orElseThrow();

        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains(dataDir.resolve(CalibrationFile.FILE_NAME).toString(), "Zero saved: 75353 counts",
                "Step 2 of 2", "Stopped");
    }

    private GuidedCalibration guided(BufferedReader answers) {
        Calibration calibration = new Calibration(new CalibrationValues(75353, 12780), TemperatureModel.NONE,
                new CalibrationFile(dataDir));
        return new GuidedCalibration(() -> driver.read().raw(), calibration, 500, answers,
                new PrintStream(terminal, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    /** The user puts {@code kg} on the scale, then types {@code answer}. */
    private Supplier<String> load(double kg, String answer) {
        return () -> {
            simulator.setLoadKg(kg);
            return answer;
        };
    }

    /** A terminal whose lines are typed by the steps in turn; then the input ends. */
    @SafeVarargs
    private static BufferedReader answers(Supplier<String>... steps) {
        Deque<Supplier<String>> script = new ArrayDeque<>(java.util.List.of(steps));
        return new BufferedReader(Reader.nullReader()) {
            @Override
            public String readLine() {
                Supplier<String> next = script.poll();
                return next == null ? null : next.get();
            }
        };
    }
}
