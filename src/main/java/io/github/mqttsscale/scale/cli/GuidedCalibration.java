package io.github.mqttsscale.scale.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;

import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.CalibrationValues;
import io.github.mqttsscale.scale.weighing.FreshReading;

/**
 * First set-up at the terminal, in the spirit of Tasmota's guided calibration: empty the scale (tare), put a
 * known weight on it and type its kg, done. Every answer is checked; a refused one says why and asks again.
 * Typing {@code q} (or closing the input) stops; what was saved until then stays.
 */
public class GuidedCalibration {

    private static final String QUIT = "q";

    private final FreshReading sensor;
    private final Calibration calibration;
    private final int minLoadCounts;
    private final BufferedReader in;
    private final PrintStream out;

    public GuidedCalibration(FreshReading sensor, Calibration calibration, int minLoadCounts, BufferedReader in,
            PrintStream out) {
        this.sensor = sensor;
        this.calibration = calibration;
        this.minLoadCounts = minLoadCounts;
        this.in = in;
        this.out = out;
    }

    /** @return 0 when calibrated, 1 when stopped before */
    public int run() {
        out.println("Guided calibration. Answer with Enter; type q to stop.");
        CalibrationValues before = calibration.values();
        if (calibration.trusted()) {
            out.printf(Locale.ROOT, "Now: zero at %d counts, %.2f counts per kg.%n", before.offset(),
                    before.countsPerKg());
        } else {
            out.println("Now: no calibration to trust; the zero is saved with the known weight of step 2.");
        }
        while (true) {
            out.println("Step 1 of 2: take everything off the scale, then press Enter.");
            if (answer() == null) {
                return stopped();
            }
            try {
                int zero = calibration.tare(sensor.raw()).offset();
                // after a damaged file a zero alone is no calibration: it is saved with step 2's known weight
                out.printf(Locale.ROOT, calibration.trusted() ? "Zero saved: %d counts.%n" : "Zero taken: %d counts.%n",
                        zero);
                break;
            } catch (RuntimeException e) {
                out.println("Not done: " + e.getMessage());
            }
        }
        while (true) {
            out.println("Step 2 of 2: put a known weight on the scale, type its weight in kg (e.g. 2.0), press Enter.");
            String answer = answer();
            if (answer == null) {
                return stopped();
            }
            double knownKg;
            try {
                knownKg = Double.parseDouble(answer.replace(',', '.'));
            } catch (NumberFormatException e) {
                out.println("'" + answer + "' is not a weight in kg: type a number such as 2.0");
                continue;
            }
            try {
                CalibrationValues values = calibration.calibrate(sensor.raw(), knownKg, minLoadCounts, true);
                out.printf(Locale.ROOT, "Saved: %.2f counts per kg.%n", values.countsPerKg());
                out.printf(Locale.ROOT, "The scale reads %.3f kg now.%n", calibration.toKilograms(sensor.raw()));
                return morePoints();
            } catch (RuntimeException e) {
                out.println("Not done: " + e.getMessage());
            }
        }
    }

    /** Known weights added one by one, for a load cell that is not linear; an empty answer finishes. */
    private int morePoints() {
        while (true) {
            out.println("More known weights make a load cell that is not quite linear true across its range: put "
                    + "another known weight on the scale, type its weight in kg, press Enter; or press Enter to finish.");
            String answer = answer();
            if (answer == null || answer.isEmpty()) {
                out.println("Done.");
                return 0;
            }
            try {
                double knownKg = Double.parseDouble(answer.replace(',', '.'));
                CalibrationValues values = calibration.calibrate(sensor.raw(), knownKg, minLoadCounts, true, true);
                out.printf(Locale.ROOT, "Added: %d known weights now (%s kg).%n", values.points().size(),
                        values.points().stream().map(point -> Double.toString(point.kg()))
                                .collect(java.util.stream.Collectors.joining(", ")));
            } catch (NumberFormatException e) {
                out.println("'" + answer + "' is not a weight in kg: type a number such as 5.0, or just Enter");
            } catch (RuntimeException e) {
                out.println("Not added: " + e.getMessage());
            }
        }
    }

    /** The next answer, trimmed; null when the user quits or the input ends. */
    private String answer() {
        out.print("> ");
        out.flush();
        try {
            String line = in.readLine();
            return line == null || line.trim().equalsIgnoreCase(QUIT) ? null : line.trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int stopped() {
        out.println();
        if (!calibration.trusted()) {
            out.println(
                    "Stopped. Nothing saved: the scale still has no calibration to trust, and publishes no weight.");
            return 1;
        }
        out.println("Stopped. Saved values stay: zero at " + calibration.offset() + " counts, "
                + String.format(Locale.ROOT, "%.2f", calibration.countsPerKg()) + " counts per kg.");
        return 1;
    }
}
