package io.github.mqttsscale.scale.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;

import io.github.mqttsscale.hx711.Hx711Driver;
import io.github.mqttsscale.hx711.Hx711Exception;
import io.github.mqttsscale.hx711.Hx711Settings;
import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.hx711.Hx711Wire;
import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.CalibrationFile;
import io.github.mqttsscale.scale.weighing.FreshReading;
import io.github.mqttsscale.scale.weighing.Hx711Options;
import io.github.mqttsscale.scale.weighing.InitialCalibration;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.SensorChoice;

/**
 * {@code java -jar mqtts-scale.jar calibrate}: the guided calibration with the scale's own settings (same
 * configuration files, environment and {@code --name=value} arguments), reading the HX711 directly. Stop the
 * running scale first: it holds the GPIO pins, and it loads the new calibration when it starts.
 */
public final class CalibrateCommand {

    private CalibrateCommand() {
    }

    public static int run(CommandSettings settings, InputStream in, PrintStream out) {
        ScaleProperties scale = settings.scale();
        boolean simulated = settings.simulated();
        InitialCalibration configured = scale.calibration();
        CalibrationFile file = new CalibrationFile(scale.dataDir());
        Calibration calibration = new Calibration(configured.values(), scale.temperature().model(), file);
        out.println("Calibration file: " + file.path().toAbsolutePath() + (simulated ? " (simulated sensor)" : ""));
        calibration.damage().ifPresent(damage -> out.println("Calibrating again, as " + damage));
        try (Sensor sensor = Sensor.open(scale, simulated)) {
            BufferedReader answers = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
            return new GuidedCalibration(sensor, calibration, configured.minLoadCounts(), answers, out).run();
        }
    }

    /** The HX711 as the scale reads it, on its GPIO pins or simulated. */
    private static final class Sensor implements FreshReading, AutoCloseable {

        private final Hx711Wire wire;
        private final Hx711Simulator simulator;
        private final Hx711Driver driver;

        private Sensor(Hx711Wire wire, Hx711Simulator simulator, Hx711Settings settings) {
            this.wire = wire;
            this.simulator = simulator;
            this.driver = new Hx711Driver(wire, settings);
            driver.warmUp();
        }

        static Sensor open(ScaleProperties scale, boolean simulated) {
            Hx711Options hx711 = scale.hx711();
            Hx711Settings settings = hx711.driverSettings();
            Hx711Simulator simulator = simulated ? SensorChoice.newSimulator(scale) : null;
            Hx711Wire wire = simulated ? settings.wiring().wire(simulator) : settings.wiring().open("hx711-calibrate");
            return new Sensor(wire, simulator, settings);
        }

        @Override
        public int raw() {
            try {
                return driver.read().raw();
            } catch (Hx711Exception e) {
                throw new IllegalStateException("sensor not ready: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            wire.close();
            if (simulator != null) {
                simulator.close();
            }
        }
    }
}
