package io.github.mqttsscale.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.weighing.CalibrationFile;

/** {@code mqtts-scale calibrate} as typed at the terminal, reading the simulated HX711 with its 2.5 kg on it. */
class CalibrateCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void theZeroTakenAtStepOneIsSavedForTheScaleToLoadEvenWhenStoppedBeforeStepTwo() {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        // Enter at step 1, then the terminal closes
        ByteArrayInputStream typed = new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8));

        int exit = SubCommands.run(new String[]{"calibrate", "--scale.sensor=simulated", "--scale.hx711.rate=80",
                "--scale.data-dir=" + dataDir}, typed, new PrintStream(report, true, StandardCharsets.UTF_8))
                .orElseThrow();

        int loaded = Hx711Simulator.DEFAULT_OFFSET_COUNTS
                + (int) Math.round(2.5 * Hx711Simulator.DEFAULT_COUNTS_PER_KG);
        String text = report.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isEqualTo(1);
        assertThat(text).contains("Zero saved: " + loaded + " counts", "Stopped");
        assertThat(new CalibrationFile(dataDir).load()).hasValueSatisfying(saved -> {
            assertThat(saved.offset()).isEqualTo(loaded);
            assertThat(saved.countsPerKg()).isEqualTo(Hx711Simulator.DEFAULT_COUNTS_PER_KG);
        });
    }

    /** After a damaged file: said first, the zero kept until the known weight, then both saved. */
    @Test
    void aDamagedCalibrationFileIsSetAsideAndCalibratedAgain() throws Exception {
        CalibrationFile file = new CalibrationFile(dataDir);
        java.nio.file.Files.writeString(file.path(), "offset=");
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        // Enter at step 1, then the terminal closes before step 2
        ByteArrayInputStream typed = new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8));

        int exit = SubCommands.run(new String[]{"calibrate", "--scale.sensor=simulated", "--scale.hx711.rate=80",
                "--scale.data-dir=" + dataDir}, typed, new PrintStream(report, true, StandardCharsets.UTF_8))
                .orElseThrow();

        String text = report.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isEqualTo(1);
        assertThat(text).contains("Calibrating again, as the calibration file " + file.path() + " is damaged",
                "offset is missing", "Zero taken:", "Stopped. Nothing saved")
                .doesNotContain("Zero saved");
        assertThat(file.path()).as("a zero alone is no calibration").doesNotExist();
        assertThat(dataDir.resolve(CalibrationFile.FILE_NAME + ".damaged")).hasContent("offset=");
    }

    @Test
    void unusableSettingsAreReportedBeforeAnythingIsAsked() {
        ByteArrayOutputStream report = new ByteArrayOutputStream();

        int exit = SubCommands.run(new String[]{"calibrate", "--scale.hx711.gain=100", "--scale.data-dir=" + dataDir},
                new ByteArrayInputStream(new byte[0]), new PrintStream(report, true, StandardCharsets.UTF_8))
                .orElseThrow();

        String text = report.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(2);
        assertThat(text).contains("mqtts-scale calibrate: the settings cannot be used", "scale.hx711.gain")
                .doesNotContain("Step 1");
        assertThat(new CalibrationFile(dataDir).load()).isEmpty();
    }
}
