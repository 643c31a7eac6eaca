package io.github.mqttsscale.scale.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.github.mqttsscale.hx711.Hx711RejectReason;

/** What {@code mqtts-scale check} prints: one line per figure, then its notes, problems and result. */
final class CheckReport {

    private final PrintStream out;

    CheckReport(PrintStream out) {
        this.out = out;
    }

    void title(String title) {
        out.println(title);
    }

    /** A figure: what it is, then its value. */
    void line(String what, String text) {
        out.printf("  %-11s %s%n", what, text);
    }

    void figures(CheckFigures figures) {
        String timing = figures.intervalMs().isEmpty()
                ? "no two samples in a row"
                : String.format("every %.1f ms (expected %.1f ms at %d samples/s)", figures.intervalMs().getAsDouble(),
                        figures.expectedMs(), figures.settings().rate());
        line("data ready", (figures.attempts() - figures.timeouts()) + " of " + figures.attempts() + " attempts, "
                + timing);
        String rejections = Arrays.stream(Hx711RejectReason.values())
                .map(reason -> figures.rejected(reason) + " " + reason.label()).collect(Collectors.joining(", "));
        line("samples", figures.good() + " good; rejected: " + rejections + "; " + figures.timeouts() + " timeouts");
        figures.reading().ifPresent(reading -> {
            line("reading", String.format("mean %.0f counts = %.3f kg (calibration: offset %d, %.1f counts/kg)",
                    reading.meanCounts(), reading.kg(), reading.offset(), reading.countsPerKg()));
            line("noise", String.format(
                    "standard deviation %.1f counts = %.2f g, peak to peak %d counts over %d samples",
                    reading.stdDev(), reading.grams(), reading.peakToPeak(), reading.samples()));
        });
        line("clock high", figures.clockHigh() + " (pulses by how long PD_SCK was high; the datasheet allows"
                + " 50 µs, the chip powers down at 60 µs; limit " + figures.settings().clockHighLimit().toNanos() / 1000
                + " µs)");
    }

    /** Prints the notes, the problems and the result; returns the exit code: 0 when nothing is wrong, else 1. */
    int result(CheckFindings findings) {
        findings.notes().forEach(note -> out.println("Note: " + note));
        List<String> problems = findings.problems();
        if (problems.isEmpty()) {
            out.println("Result: OK, nothing to fix");
            return 0;
        }
        out.println("Problems:");
        problems.forEach(problem -> out.println("  - " + problem));
        out.println("Result: " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + " to fix");
        return 1;
    }
}
