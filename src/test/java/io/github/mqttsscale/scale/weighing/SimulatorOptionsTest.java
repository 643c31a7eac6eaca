package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.hx711.Hx711SimulatorTesting;
import io.github.mqttsscale.scale.cli.CommandSettings;

/**
 * scale.simulator.* as the scale binds it, down to the simulator it makes: the air's temperature cycle, the cell's lag,
 * zero drift, creep and non-linearity reach the simulated load cell; a scale of scale.scales takes them setting by
 * setting; nonsense is refused with the setting's name and the fix. The simulator's clock is moved by the test.
 */
class SimulatorOptionsTest {

    @TempDir
    Path dataDir;

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void withTheDefaultsTheSimulatedCellReadsItsLoadAsBefore() {
        try (Hx711Simulator simulator = simulator(settings().scale())) {
            advanceSeconds(24 * 3600);

            assertThat(Hx711SimulatorTesting.readKg(simulator)).isEqualTo(2.5);
            assertThat(simulator.getAmbientTemperatureC()).isEqualTo(20);
            assertThat(simulator.getCellTemperatureC()).isEqualTo(20);
        }
    }

    @Test
    void theSettingsReachTheSimulatedCell() {
        ScaleProperties scale = settings("--scale.simulator.load-kg=5", "--scale.simulator.temperature.mean-c=30",
                "--scale.simulator.zero-drift-kg-per-c=0.004", "--scale.simulator.creep-kg-per-hour=0.36",
                "--scale.simulator.nonlinearity=0.01", "--scale.simulator.full-scale-kg=10").scale();

        try (Hx711Simulator simulator = simulator(scale)) {
            assertThat(simulator.getAmbientTemperatureC()).isEqualTo(30);
            advanceSeconds(3600);

            // 5 kg on a 1 % cell of 10 kg reads 5.1; 10 °C above 20 °C 0.04 more; an hour's creep 0.36 more
            assertThat(Hx711SimulatorTesting.readKg(simulator)).isCloseTo(5.1 + 0.04 + 0.36, within(1e-9));
        }
    }

    @Test
    void theAirCyclesAndTheCellFollowsItLateFromTheStart() {
        ScaleProperties scale = settings("--scale.simulator.temperature.amplitude-c=8",
                "--scale.simulator.temperature.period=60s", "--scale.simulator.cell-lag=5s").scale();
        double omegaTau = 2 * Math.PI / 60 * 5;

        try (Hx711Simulator simulator = simulator(scale)) {
            advanceSeconds(15);

            assertThat(simulator.getAmbientTemperatureC()).as("a quarter period: the air's peak")
                    .isCloseTo(28, within(1e-3));
            // settled at the start: already on the damped, late sine, cos φ / √(1+(ωτ)²) = 1 / (1+(ωτ)²) of the swing
            assertThat(simulator.getCellTemperatureC()).as("the cell, damped and late")
                    .isCloseTo(20 + 8 / (1 + omegaTau * omegaTau), within(1e-2));
        }
    }

    @Test
    void aListedScaleTakesTheSimulatorsSettingsItLeavesOutSettingBySetting() {
        String[] args = {"--scale.simulator.temperature.amplitude-c=8", "--scale.simulator.temperature.period=60s",
                "--scale.simulator.creep-kg-per-hour=0.36", "--scale.scales[0].device-id=keg-1",
                "--scale.scales[1].device-id=keg-2", "--scale.scales[1].hx711.data-pin=17",
                "--scale.scales[1].hx711.clock-pin=27", "--scale.scales[1].simulator.temperature.mean-c=5",
                "--scale.scales[1].simulator.nonlinearity=0.01"};

        SimulatorOptions keg1 = settings(args, "--scale.device-id=keg-1").scale().simulator();
        SimulatorOptions keg2 = settings(args, "--scale.device-id=keg-2").scale().simulator();

        assertThat(keg2.temperature().meanC()).as("its own").isEqualTo(5);
        assertThat(keg2.temperature().amplitudeC()).as("from scale.simulator.temperature").isEqualTo(8);
        assertThat(keg2.temperature().period()).as("from scale.simulator.temperature")
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(keg2.creepKgPerHour()).as("from scale.simulator").isEqualTo(0.36);
        assertThat(keg2.nonlinearity()).as("its own").isEqualTo(0.01);
        assertThat(keg1.temperature()).as("all from scale.simulator.temperature")
                .isEqualTo(new SimulatorOptions.Temperature(20, 8, Duration.ofSeconds(60)));
        assertThat(keg1.nonlinearity()).as("the default").isZero();
    }

    @Test
    void settingsThatMeanNothingAreRefusedWithTheFix() {
        assertThat(problem("--scale.simulator.nonlinearity=0.3")).isEqualTo("scale.simulator.nonlinearity: must be "
                + "between -0.25 and 0.25, e.g. 0.01 for 1 % (beyond, the cell would read less for more load)");
        assertThat(problem("--scale.simulator.temperature.period=0s"))
                .isEqualTo("scale.simulator.temperature.period: must be longer than 0, e.g. 1d or 60s");
        assertThat(problem("--scale.simulator.cell-lag=-5s"))
                .isEqualTo("scale.simulator.cellLag: must be 0s or longer, e.g. 5m");
        assertThat(problem("--scale.simulator.full-scale-kg=0"))
                .isEqualTo("scale.simulator.fullScaleKg: must be above 0: the cell's rating, e.g. 10");
        assertThat(problem("--scale.simulator.temperature.amplitude-c=-8")).isEqualTo(
                "scale.simulator.temperature.amplitudeC: must be 0 or more, e.g. 8: the swing either side of mean-c");
    }

    /** The scale's simulator, its cell's time then on the test's clock from the start of its cycle. */
    private Hx711Simulator simulator(ScaleProperties scale) {
        Hx711Simulator simulator = SensorChoice.newSimulator(scale);
        Hx711SimulatorTesting.setNanoTime(simulator, nanos::get);
        return simulator;
    }

    private void advanceSeconds(double seconds) {
        nanos.addAndGet(Math.round(seconds * 1e9));
    }

    private CommandSettings settings(String... args) {
        return CommandSettings.load(withDataDir(args));
    }

    private CommandSettings settings(String[] args, String more) {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = more;
        return settings(all);
    }

    private String problem(String... args) {
        Throwable refused = catchThrowable(() -> CommandSettings.load(withDataDir(args)));
        assertThat(refused).as("refused").isNotNull();
        return CommandSettings.problem(refused);
    }

    private String[] withDataDir(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--scale.data-dir=" + dataDir;
        all[args.length + 1] = "--scale.sensor=simulated";
        return all;
    }
}
