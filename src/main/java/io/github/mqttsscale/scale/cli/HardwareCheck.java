package io.github.mqttsscale.scale.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.github.mqttsscale.hx711.Hx711Fault;
import io.github.mqttsscale.hx711.Hx711Settings;
import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.hx711.Hx711Wire;
import io.github.mqttsscale.hx711.Hx711Wiring;
import io.github.mqttsscale.scale.weighing.Hx711Options;
import io.github.mqttsscale.scale.weighing.InitialCalibration;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.SensorChoice;

/**
 * {@code mqtts-scale check}: the first power-on test of the wiring. Finds the GPIO chip, reads samples from the
 * HX711 on the configured pins, reports data-ready timing, noise and rejected samples, and says what to fix.
 * Exit code 0 when nothing is wrong, 1 with problems, 2 when the settings are unusable.
 * With {@code --scale.sensor=simulated} it reads the simulated HX711 instead.
 * <p>
 * This class finds and opens the chip; {@link CheckSampling} reads it, {@link CheckFigures} works out what was
 * measured, {@link CheckAdvice} turns the figures into findings and {@link CheckReport} prints them.
 */
public final class HardwareCheck {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(1);
    private static final Path DEV = Path.of("/dev");

    private final CheckReport report;
    private final CheckFindings findings = new CheckFindings();

    private HardwareCheck(PrintStream out) {
        this.report = new CheckReport(out);
    }

    public static int run(CommandSettings settings, PrintStream out) {
        return run(settings, out, Hx711Fault.NONE);
    }

    /** As {@link #run(CommandSettings, PrintStream)}, with a fault in the simulated HX711 (tests). */
    static int run(CommandSettings settings, PrintStream out, Hx711Fault simulatorFault) {
        return new HardwareCheck(out).check(settings.scale(), settings.simulated(), simulatorFault);
    }

    private int check(ScaleProperties scale, boolean simulated, Hx711Fault simulatorFault) {
        Hx711Options hx711 = scale.hx711();
        Hx711Settings settings = hx711.driverSettings()
                .withSamples(1)
                .withReadyTimeout(READY_TIMEOUT);
        report.title("mqtts-scale check: the HX711 load-cell amplifier, for the first power-on");
        report.line("wiring",
                hx711.wiring().name().toLowerCase(Locale.ROOT) + ": " + settings.wiring().describe() + ", gain "
                        + hx711.gain()
                        + ", RATE " + hx711.rate() + " samples/s");
        if (simulated) {
            report.line("sensor", "SIMULATED HX711 (scale.sensor=" + sensorName(scale) + ")"
                    + (simulatorFault == Hx711Fault.NONE ? "" : ", fault " + simulatorFault));
            Hx711Simulator simulator = SensorChoice.newSimulator(scale);
            simulator.setFault(simulatorFault);
            try (simulator; Hx711Wire wire = settings.wiring().wire(simulator)) {
                sample(wire, settings, scale.calibration());
            }
        } else if (settings.wiring() instanceof Hx711Wiring.Spi bus) {
            report.line("sensor", "HX711 on SPI bus " + bus.bus() + " (scale.sensor=" + sensorName(scale) + ")");
            checkRealChipOnSpi(bus, settings, scale.calibration());
        } else {
            report.line("sensor", "HX711 on the GPIO pins (scale.sensor=" + sensorName(scale) + ")");
            checkRealChip(settings, scale.calibration());
        }
        return report.result(findings);
    }

    private static String sensorName(ScaleProperties scale) {
        return scale.sensor().name().toLowerCase(Locale.ROOT);
    }

    private void checkRealChipOnSpi(Hx711Wiring.Spi bus, Hx711Settings settings,
            InitialCalibration calibration) {
        Path device = Path.of(bus.device());
        String user = System.getProperty("user.name");
        if (!Files.exists(device)) {
            findings.problem("No " + device + ": SPI is off. Turn it on with sudo raspi-config nonint do_spi 0 (or"
                    + " dtparam=spi=on in /boot/firmware/config.txt) and reboot.");
            return;
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            findings.problem(DeviceAccess.advice(DeviceAccess.facts(device, DeviceAccess.Kind.SPI, user),
                    DeviceAccess.Kind.SPI));
            return;
        }
        try (Hx711Wire wire = settings.wiring().open("hx711-check")) {
            sample(wire, settings, calibration);
        } catch (RuntimeException e) {
            findings.problem("Cannot use " + device + ": " + rootMessage(e)
                    + ". If the scale service is running it holds it: sudo systemctl stop mqtts-scale, then check again.");
        }
    }

    private void checkRealChip(Hx711Settings settings, InitialCalibration calibration) {
        List<Path> chips = gpioChips();
        report.line("gpio chips",
                chips.isEmpty() ? "none" : chips.stream().map(Path::toString).collect(Collectors.joining(" ")));
        if (chips.isEmpty()) {
            findings.problem(
                    "No GPIO chip (/dev/gpiochip*): this is not a Raspberry Pi, or its kernel has no GPIO character"
                            + " devices. On another machine, try: mqtts-scale check --scale.sensor=simulated");
            return;
        }
        String user = System.getProperty("user.name");
        List<Path> closed = chips.stream().filter(chip -> !Files.isReadable(chip) || !Files.isWritable(chip)).toList();
        if (closed.size() == chips.size()) {
            findings.problem(DeviceAccess.advice(DeviceAccess.facts(closed.get(0), DeviceAccess.Kind.GPIO, user),
                    DeviceAccess.Kind.GPIO));
            return;
        }
        try (Hx711Wire wire = settings.wiring().open("hx711-check")) {
            sample(wire, settings, calibration);
        } catch (RuntimeException e) {
            findings.problem("Cannot open the GPIO lines " + settings.wiring().describe() + ": " + rootMessage(e)
                    + ". If the scale service is running it holds them: sudo systemctl stop mqtts-scale, then check again.");
        }
    }

    private static List<Path> gpioChips() {
        List<Path> chips = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(DEV, "gpiochip*")) {
            found.forEach(chips::add);
        } catch (IOException e) {
            // no /dev to list: no chips
        }
        chips.sort(null);
        return chips;
    }

    /** Samples the chip, then prints what was measured and adds what the figures say to the findings. */
    private void sample(Hx711Wire wire, Hx711Settings settings, InitialCalibration calibration) {
        CheckSampling sampling = new CheckSampling(wire, settings);
        report.line("warm-up", sampling.warmUp() + " clock-outs rehearsed without a clock edge while the JVM compiles"
                + " the clocking code");
        CheckFigures figures = CheckFigures.of(sampling.read(), settings, calibration.offset(),
                calibration.countsPerKg());
        report.figures(figures);
        CheckAdvice.advise(figures, findings);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
