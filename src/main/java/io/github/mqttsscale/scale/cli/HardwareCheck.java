package io.github.mqttsscale.scale.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.mqttsscale.hx711.Hx711Driver;
import io.github.mqttsscale.hx711.Hx711Fault;
import io.github.mqttsscale.hx711.Hx711NotReadyException;
import io.github.mqttsscale.hx711.Hx711RejectReason;
import io.github.mqttsscale.hx711.Hx711Sample;
import io.github.mqttsscale.hx711.Hx711SampleRejectedException;
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
 */
public final class HardwareCheck {

    /** Good samples wanted: two seconds at 10 samples/s, enough for a standard deviation. */
    static final int SAMPLES = 20;
    private static final int MAX_ATTEMPTS = 2 * SAMPLES;
    /** Wiring faults in a row that end the check early: the fault is clear by then (clock-timing rejections,
     *  which a JVM still warming up causes, only count towards MAX_ATTEMPTS). */
    private static final int FAILURES_IN_A_ROW = 10;
    private static final int TIMEOUTS_IN_A_ROW = 2;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(1);
    /** Standard deviation beyond which samples are not readings of a load cell at all. */
    private static final double WILD_NOISE_COUNTS = 100_000;
    private static final double HIGH_NOISE_GRAMS = 10;
    private static final Path DEV = Path.of("/dev");

    private final PrintStream out;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private HardwareCheck(PrintStream out) {
        this.out = out;
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
        out.println("mqtts-scale check: the HX711 load-cell amplifier, for the first power-on");
        line("wiring", hx711.wiring().name().toLowerCase(Locale.ROOT) + ": " + settings.wiring().describe() + ", gain "
                + hx711.gain()
                + ", RATE " + hx711.rate() + " samples/s");
        if (simulated) {
            line("sensor", "SIMULATED HX711 (scale.sensor=" + sensorName(scale) + ")"
                    + (simulatorFault == Hx711Fault.NONE ? "" : ", fault " + simulatorFault));
            Hx711Simulator simulator = SensorChoice.newSimulator(scale);
            simulator.setFault(simulatorFault);
            try (simulator; Hx711Wire wire = settings.wiring().wire(simulator)) {
                sample(wire, settings, scale.calibration());
            }
        } else if (settings.wiring() instanceof Hx711Wiring.Spi bus) {
            line("sensor", "HX711 on SPI bus " + bus.bus() + " (scale.sensor=" + sensorName(scale) + ")");
            checkRealChipOnSpi(bus, settings, scale.calibration());
        } else {
            line("sensor", "HX711 on the GPIO pins (scale.sensor=" + sensorName(scale) + ")");
            checkRealChip(settings, scale.calibration());
        }
        return result();
    }

    private static String sensorName(ScaleProperties scale) {
        return scale.sensor().name().toLowerCase(Locale.ROOT);
    }

    private void checkRealChipOnSpi(Hx711Wiring.Spi bus, Hx711Settings settings,
            InitialCalibration calibration) {
        Path device = Path.of(bus.device());
        String user = System.getProperty("user.name");
        if (!Files.exists(device)) {
            problems.add("No " + device + ": SPI is off. Turn it on with sudo raspi-config nonint do_spi 0 (or"
                    + " dtparam=spi=on in /boot/firmware/config.txt) and reboot.");
            return;
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            problems.add("User " + user + " may not open " + device + ": add it to group spi (sudo usermod -aG spi "
                    + user + ", then log in again).");
            return;
        }
        try (Hx711Wire wire = settings.wiring().open("hx711-check")) {
            sample(wire, settings, calibration);
        } catch (RuntimeException e) {
            problems.add("Cannot use " + device + ": " + rootMessage(e)
                    + ". If the scale service is running it holds it: sudo systemctl stop mqtts-scale, then check again.");
        }
    }

    private void checkRealChip(Hx711Settings settings, InitialCalibration calibration) {
        List<Path> chips = gpioChips();
        line("gpio chips",
                chips.isEmpty() ? "none" : chips.stream().map(Path::toString).collect(Collectors.joining(" ")));
        if (chips.isEmpty()) {
            problems.add(
                    "No GPIO chip (/dev/gpiochip*): this is not a Raspberry Pi, or its kernel has no GPIO character"
                            + " devices. On another machine, try: mqtts-scale check --scale.sensor=simulated");
            return;
        }
        String user = System.getProperty("user.name");
        List<Path> closed = chips.stream().filter(chip -> !Files.isReadable(chip) || !Files.isWritable(chip)).toList();
        if (closed.size() == chips.size()) {
            problems.add("User " + user + " may not open " + closed.get(0)
                    + ": add it to group gpio (sudo usermod -aG gpio "
                    + user
                    + ", then log in again), or run the check as the service user: sudo -u mqtts-scale mqtts-scale check");
            return;
        }
        try (Hx711Wire wire = settings.wiring().open("hx711-check")) {
            sample(wire, settings, calibration);
        } catch (RuntimeException e) {
            problems.add("Cannot open the GPIO lines " + settings.wiring().describe() + ": " + rootMessage(e)
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

    /** Reads up to {@link #SAMPLES} samples one by one, so that every rejection and every data-ready time is seen. */
    private void sample(Hx711Wire wire, Hx711Settings settings, InitialCalibration calibration) {
        Hx711Driver driver = new Hx711Driver(wire, settings);
        line("warm-up", driver.warmUp() + " clock-outs rehearsed without a clock edge while the JVM compiles the"
                + " clocking code");
        List<Integer> good = new ArrayList<>();
        List<Long> intervals = new ArrayList<>();
        Map<Hx711RejectReason, Integer> rejected = new EnumMap<>(Hx711RejectReason.class);
        int timeouts = 0;
        int attempts = 0;
        int failuresInARow = 0;
        int timeoutsInARow = 0;
        Long lastReady = null;
        while (good.size() < SAMPLES && attempts < MAX_ATTEMPTS && failuresInARow < FAILURES_IN_A_ROW
                && timeoutsInARow < TIMEOUTS_IN_A_ROW) {
            attempts++;
            try {
                Hx711Sample sample = driver.readSample();
                good.add(sample.raw());
                if (lastReady != null) {
                    intervals.add(sample.dataReadyNanos() - lastReady);
                }
                lastReady = sample.dataReadyNanos();
                failuresInARow = 0;
                timeoutsInARow = 0;
            } catch (Hx711NotReadyException e) {
                timeouts++;
                timeoutsInARow++;
                failuresInARow++;
                lastReady = null;
            } catch (Hx711SampleRejectedException e) {
                rejected.merge(e.reason(), 1, Integer::sum);
                if (e.reason() != Hx711RejectReason.TIMING) {
                    failuresInARow++;
                }
                timeoutsInARow = 0;
                lastReady = null;
            }
        }
        report(settings, calibration, attempts, good, intervals, rejected, timeouts);
        line("clock high", driver.clockHighHistogram() + " (pulses by how long PD_SCK was high; the chip powers down"
                + " at 60 µs, limit " + settings.clockHighLimit().toNanos() / 1000 + " µs)");
    }

    private void report(Hx711Settings settings, InitialCalibration calibration, int attempts,
            List<Integer> good,
            List<Long> intervals, Map<Hx711RejectReason, Integer> rejected, int timeouts) {
        double expectedMs = 1000.0 / settings.rate();
        // the median: a data-ready seen late (this thread paused on a busy machine) makes one interval short and the
        // next long, which the smallest interval would take for the chip's rate
        double intervalMs = intervals.isEmpty()
                ? 0
                : intervals.stream().mapToLong(Long::longValue).sorted().skip(intervals.size() / 2).findFirst()
                        .orElseThrow() / 1e6;
        String timing = intervals.isEmpty()
                ? "no two samples in a row"
                : String.format("every %.1f ms (expected %.1f ms at %d samples/s)", intervalMs, expectedMs,
                        settings.rate());
        line("data ready", (attempts - timeouts) + " of " + attempts + " attempts, " + timing);
        String rejections = Arrays.stream(Hx711RejectReason.values())
                .map(reason -> count(rejected, reason) + " " + reason.label()).collect(Collectors.joining(", "));
        line("samples", good.size() + " good; rejected: " + rejections + "; " + timeouts + " timeouts");

        diagnoseFailures(settings, good.size(), rejected, timeouts);
        if (!intervals.isEmpty()) {
            diagnoseRate(settings, intervalMs, expectedMs);
        }
        if (good.isEmpty()) {
            return;
        }
        double mean = good.stream().mapToDouble(Integer::doubleValue).average().orElseThrow();
        double variance = good.stream().mapToDouble(raw -> (raw - mean) * (raw - mean)).sum()
                / Math.max(1, good.size() - 1);
        double stdDev = Math.sqrt(variance);
        double grams = stdDev / calibration.countsPerKg() * 1000;
        int spread = good.stream().mapToInt(Integer::intValue).max().orElseThrow()
                - good.stream().mapToInt(Integer::intValue).min().orElseThrow();
        line("reading", String.format("mean %.0f counts = %.3f kg (calibration: offset %d, %.1f counts/kg)", mean,
                (mean - calibration.offset()) / calibration.countsPerKg(), calibration.offset(),
                calibration.countsPerKg()));
        line("noise", String.format("standard deviation %.1f counts = %.2f g, peak to peak %d counts over %d samples",
                stdDev, grams, spread, good.size()));
        if (stdDev > WILD_NOISE_COUNTS) {
            problems.add(
                    "The samples jump wildly: DT and SCK may be swapped, DOUT may be floating (loose DT wire), or a"
                            + " load-cell wire is loose. Check DT to " + settings.wiring().dataLine() + " and SCK to "
                            + settings.wiring().clockLine() + ".");
        } else if (grams > HIGH_NOISE_GRAMS) {
            notes.add(String.format(
                    "Noise of %.1f g is high: keep the load-cell wires short and twisted, away from power"
                            + " wires, check the E+/E-/A+/A- screw terminals, and that nothing touches the scale.",
                    grams));
        }
    }

    private void diagnoseFailures(Hx711Settings settings, int good, Map<Hx711RejectReason, Integer> rejected,
            int timeouts) {
        String dout = "DOUT (DT) to " + settings.wiring().dataLine();
        String sck = "PD_SCK (SCK) to " + settings.wiring().clockLine();
        if (timeouts > 0) {
            String message = "DOUT never signalled data ready (never went low) within " + READY_TIMEOUT.toMillis()
                    + " ms, " + timeouts + " time(s): check VCC to 3.3 V (pin 1) and GND (pin 6), " + dout
                    + " (a broken DT wire reads high: the scale pulls DOUT up), and that DT and SCK are not swapped.";
            if (good == 0) {
                problems.add("Always timeout. " + message);
            } else {
                problems.add("Intermittent: " + message + " A loose wire?");
            }
        }
        if (count(rejected, Hx711RejectReason.STUCK_LOW) > 0) {
            problems.add(
                    "DOUT stuck low: it stays low even after the 25th clock pulse, which pulls it high. DOUT is shorted"
                            + " to GND, or the clock does not reach the chip: check " + sck
                            + " and that DT and SCK are not swapped.");
        }
        if (count(rejected, Hx711RejectReason.ALL_ONES) > 0) {
            problems.add(
                    "All ones (0xFFFFFF): DOUT stayed high through all 24 bits although the chip had signalled data"
                            + " ready, as a DOUT that comes and goes does. Check " + dout
                            + " and the chip's power (VCC to 3.3 V,"
                            + " GND).");
        }
        if (count(rejected, Hx711RejectReason.SATURATED) > 0) {
            problems.add(
                    "Saturated samples (0x7FFFFF/0x800000): the load-cell signal is out of range. Check the load-cell"
                            + " wires at E+, E-, A+, A- (a loose A+ or A- saturates), and that the load cell is not overloaded.");
        }
        int timing = count(rejected, Hx711RejectReason.TIMING);
        int allRejected = rejected.values().stream().mapToInt(Integer::intValue).sum();
        if (timing > 0 && good == 0 && timing == allRejected) {
            problems.add(
                    "Every sample was rejected for clock timing (a clock-high phase of 60 µs powers the HX711 down):"
                            + " the system is too busy or the JVM is still warming up. Stop other load and check again.");
        } else if (timing > 0) {
            notes.add(timing
                    + " sample(s) rejected for clock timing: normal while the JVM warms up; the scale discards them.");
        }
    }

    private void diagnoseRate(Hx711Settings settings, double measuredMs, double expectedMs) {
        if (measuredMs < expectedMs * 0.5) {
            problems.add(String.format(
                    "Conversions come every %.1f ms (about %.0f samples/s), but scale.hx711.rate is %d:"
                            + " the board's RATE pin is high (80 samples/s). Set scale.hx711.rate: 80, or wire RATE to GND for 10.",
                    measuredMs, 1000 / measuredMs, settings.rate()));
        } else if (measuredMs > expectedMs * 4) {
            problems.add(
                    String.format("Conversions come only every %.1f ms, but scale.hx711.rate is %d: the board's RATE"
                            + " pin is low (10 samples/s). Set scale.hx711.rate: 10.", measuredMs, settings.rate()));
        }
    }

    private int result() {
        notes.forEach(note -> out.println("Note: " + note));
        if (problems.isEmpty()) {
            out.println("Result: OK, nothing to fix");
            return 0;
        }
        out.println("Problems:");
        problems.forEach(problem -> out.println("  - " + problem));
        out.println("Result: " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + " to fix");
        return 1;
    }

    private void line(String what, String text) {
        out.printf("  %-11s %s%n", what, text);
    }

    private static int count(Map<Hx711RejectReason, Integer> rejected, Hx711RejectReason reason) {
        return rejected.getOrDefault(reason, 0);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
