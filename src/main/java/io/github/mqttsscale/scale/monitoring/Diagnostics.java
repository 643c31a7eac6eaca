package io.github.mqttsscale.scale.monitoring;

import java.time.Clock;
import java.util.OptionalLong;

import io.github.mqttsscale.hx711.Hx711Consumer;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.ScaleStep;

/**
 * A scale's diagnostics, the bean of the route report-diagnostics ({@link DiagnosticsReports} says what and when): its
 * problems, the samples its HX711 driver rejected over the last minute, and its zero shift. One constructor, the
 * scale's: Spring's ahead-of-time processing refuses a step class with a choice of constructors.
 */
@ScaleStep("diagnostics")
public class Diagnostics {

    private final DiagnosticsReports reports;

    public Diagnostics(Scale scale) {
        this.reports = new DiagnosticsReports(scale.deviceId(), scale.problems(),
                () -> scale.loadCell().consumer().map(Hx711Consumer::counters)
                        .map(counters -> OptionalLong.of(counters.rejectedTotal())).orElse(OptionalLong.empty()),
                () -> scale.calibration().zeroShiftKg(), Clock.systemUTC());
    }

    /** A check, every few seconds: whether a report is due now. */
    public boolean due() {
        return reports.due();
    }

    /** The report, as of now. */
    public DiagnosticsReport report() {
        return reports.report();
    }

    /** The report could not be published: the next check makes another. */
    public void notPublished() {
        reports.notPublished();
    }
}
