package io.github.mqttsscale.scale.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.github.mqttsscale.scale.testsupport.TestClock;
import io.github.mqttsscale.scale.weighing.ScaleProblems;

/**
 * When a diagnostics report is due (start, a minute on, a change of the problems, a report the broker did not take),
 * and the rejected samples per minute it says, counted over the last minute of checks.
 */
class DiagnosticsReportsTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final ScaleProblems problems = new ScaleProblems("shelf");
    private OptionalLong rejectedTotal = OptionalLong.of(0);
    private double zeroShiftKg;
    private final DiagnosticsReports diagnostics = new DiagnosticsReports("shelf", problems, () -> rejectedTotal,
            () -> zeroShiftKg, clock);

    @Test
    void dueAtTheStartThenEveryMinute() {
        assertThat(diagnostics.due()).as("at the start").isTrue();
        diagnostics.report();
        checkEveryFiveSecondsFor(Duration.ofSeconds(55), false);
        later(Duration.ofSeconds(5));
        assertThat(diagnostics.due()).as("a minute after the last report").isTrue();
    }

    @Test
    void dueAtOnceWhenAProblemBeginsOrEndsAndTheReportSaysWhichAndWhy() {
        diagnostics.due();
        diagnostics.report();
        later(Duration.ofSeconds(5));
        assertThat(diagnostics.due()).isFalse();

        problems.report("overload", "12.500 kg is above the capacity: take load off");
        assertThat(diagnostics.due()).isTrue();
        DiagnosticsReport report = diagnostics.report();
        assertThat(report.problem()).isTrue();
        assertThat(report.problems()).isEqualTo(Map.of("overload", "12.500 kg is above the capacity: take load off"));
        later(Duration.ofSeconds(5));
        assertThat(diagnostics.due()).as("the same problems again").isFalse();
        problems.report("overload", "12.600 kg is above the capacity: take load off");
        assertThat(diagnostics.due()).as("the same problem, its text naming another weight: at the minute").isFalse();

        problems.clear("overload");
        assertThat(diagnostics.due()).as("the problem is over").isTrue();
        assertThat(diagnostics.report().problem()).isFalse();
    }

    @Test
    void aReportTheBrokerDidNotTakeIsMadeAgainAtTheNextCheck() {
        diagnostics.due();
        diagnostics.report();
        diagnostics.notPublished();
        later(Duration.ofSeconds(5));
        assertThat(diagnostics.due()).isTrue();
    }

    @Test
    void rejectedSamplesAreCountedOverTheLastMinute() {
        diagnostics.due();
        assertThat(diagnostics.report().rejectedSamplesPerMinute()).as("nothing counted yet").isNull();
        for (int check = 0; check < 24; check++) { // two minutes, 3 rejected every 5 s: 36 a minute
            later(Duration.ofSeconds(5));
            rejectedTotal = OptionalLong.of(rejectedTotal.getAsLong() + 3);
            diagnostics.due();
        }
        assertThat(diagnostics.report().rejectedSamplesPerMinute()).isEqualTo(36);

        for (int check = 0; check < 12; check++) {
            later(Duration.ofSeconds(5));
            diagnostics.due();
        }
        assertThat(diagnostics.report().rejectedSamplesPerMinute()).as("none in the last minute").isZero();
    }

    @Test
    void rejectedSamplesAreUnknownWhileTheLoadCellsRouteIsNotRunning() {
        diagnostics.due();
        later(Duration.ofSeconds(5));
        rejectedTotal = OptionalLong.empty();
        diagnostics.due();
        assertThat(diagnostics.report().rejectedSamplesPerMinute()).isNull();

        rejectedTotal = OptionalLong.of(2); // running again, counting anew
        later(Duration.ofSeconds(5));
        diagnostics.due();
        rejectedTotal = OptionalLong.of(4);
        later(Duration.ofSeconds(5));
        diagnostics.due();
        assertThat(diagnostics.report().rejectedSamplesPerMinute()).as("2 in 5 s").isEqualTo(24);
    }

    @Test
    void theZeroShiftToTheMilligram() {
        zeroShiftKg = 0.0123456;
        diagnostics.due();
        assertThat(diagnostics.report().zeroShiftKg()).isEqualByComparingTo("0.012346");
    }

    private void checkEveryFiveSecondsFor(Duration duration, boolean due) {
        for (long waited = 0; waited < duration.toSeconds(); waited += 5) {
            later(Duration.ofSeconds(5));
            assertThat(diagnostics.due()).as("%d s after the last report", waited + 5).isEqualTo(due);
        }
    }

    private void later(Duration duration) {
        clock.advance(duration);
    }
}
