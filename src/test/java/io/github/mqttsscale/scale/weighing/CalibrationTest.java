package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.scale.storage.ReadOnlyDisk;

class CalibrationTest {

    private final Calibration original = new Calibration(75353, 12780, new BigDecimal("0.001"));

    @Test
    void theOriginalsOffsetReadsZero() {
        assertThat(original.toKilograms(75353)).isEqualByComparingTo("0");
    }

    @Test
    void countsAboveTheOffsetAreKilogramsAtTheCountsPerKg() {
        // 2.5 kg on the original scale: 75353 + 2.5 * 12780 = 107303
        assertThat(original.toKilograms(107303)).isEqualByComparingTo("2.500");
    }

    @Test
    void weightsAreRoundedHalfUpNotFloored() {
        // 0.0004999 kg rounds to 0.000, 0.0005008 kg to 0.001 (the original floored both to 0)
        assertThat(original.toKilograms(75353 + 6)).isEqualByComparingTo("0.000"); // 6/12780 = 0.000469
        assertThat(original.toKilograms(75353 + 7)).isEqualByComparingTo("0.001"); // 7/12780 = 0.000548
        Calibration tenths = new Calibration(0, 10, new BigDecimal("0.1"));
        assertThat(tenths.toKilograms(149)).isEqualByComparingTo("14.9");
        assertThat(tenths.toKilograms(125)).hasToString("12.5");
        assertThat(new Calibration(0, 100, new BigDecimal("0.1")).toKilograms(1249)).hasToString("12.5");
    }

    @Test
    void lessThanTheOffsetIsANegativeWeightNotZero() {
        assertThat(original.toKilograms(75353 - 12780)).isEqualByComparingTo("-1.000");
    }

    @Test
    void theResolutionSetsTheDecimalsOfThePublishedNumber() {
        assertThat(new Calibration(0, 1000, new BigDecimal("0.01")).toKilograms(2504)).hasToString("2.50");
        assertThat(new Calibration(0, 1000, new BigDecimal("0.005")).toKilograms(2504)).hasToString("2.505");
    }

    @Test
    void extremeCountsDoNotOverflow() {
        assertThat(new Calibration(8388607, 1, BigDecimal.ONE).toKilograms(-8388608)).isEqualByComparingTo("-16777215");
    }

    @Test
    void nonsenseCalibrationIsRefused() {
        assertThatThrownBy(() -> new Calibration(0, 0, BigDecimal.ONE)).hasMessageContaining("counts per kg");
        assertThatThrownBy(() -> new Calibration(0, -5, BigDecimal.ONE)).hasMessageContaining("counts per kg");
        assertThatThrownBy(() -> new Calibration(0, 5, BigDecimal.ZERO)).hasMessageContaining("resolution");
    }

    @Test
    void tareAndCalibrationAreSavedAndTheConfiguredValuesAreOnlyTheFirstRunsDefaults(@TempDir Path dataDir)
            throws Exception {
        CalibrationValues configured = new CalibrationValues(75353, 12780);
        Calibration first = new Calibration(configured, new BigDecimal("0.001"), new CalibrationFile(dataDir));
        assertThat(first.values()).isEqualTo(configured);

        first.tare(100_000);
        first.calibrate(100_000 + 2 * 30_000, 2.0, 500, false);
        assertThat(first.toKilograms(100_000 + 5 * 30_000)).isEqualByComparingTo("5.000");

        // a crash mid-write leaves a temporary file beside the good one: it is never read
        Files.writeString(dataDir.resolve(CalibrationFile.FILE_NAME + ".tmp"), "offset=1\ncounts-p");
        Calibration next = new Calibration(configured, new BigDecimal("0.001"), new CalibrationFile(dataDir));
        assertThat(next.values()).isEqualTo(new CalibrationValues(100_000, 30_000));
    }

    /** A tare that could not be saved would be gone after a restart: refused, saying why, and nothing changes. */
    @Test
    void aTareOrCalibrationThatCannotBeSavedIsRefusedWithTheDirectoryAndTheFix(@TempDir Path dataDir) throws Exception {
        Files.writeString(dataDir.resolve(CalibrationFile.FILE_NAME), "offset=1000\ncounts-per-kg=100\n");
        Calibration calibration = new Calibration(new CalibrationValues(0, 1), new BigDecimal("0.001"),
                new CalibrationFile(dataDir, new ReadOnlyDisk()));
        String why = "data directory " + dataDir + " is read-only: tare and calibration cannot be saved, so they are "
                + "refused (the scale goes on with the tare and calibration it has); check the disk or its mount";
        assertThatThrownBy(() -> calibration.tare(5000)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(why);
        assertThatThrownBy(() -> calibration.calibrate(1200, 2, 10, true)).hasMessageStartingWith(why);
        assertThat(calibration.values()).isEqualTo(new CalibrationValues(1000, 100));
    }

    @Test
    void calibratingRefusesNonsenseWithAReason() {
        Calibration tared = new Calibration(1000, 100, new BigDecimal("0.001"));
        assertThatThrownBy(() -> tared.calibrate(5000, 0, 500, false)).hasMessageContaining("above 0 kg");
        assertThatThrownBy(() -> tared.calibrate(5000, -1, 500, false)).hasMessageContaining("above 0 kg");
        assertThatThrownBy(() -> tared.calibrate(1200, 2, 500, false)).hasMessageContaining("no load detected");
        assertThatThrownBy(() -> tared.calibrate(-9000, 2, 500, false)).hasMessageContaining("went down");
        assertThatThrownBy(() -> tared.calibrate(5000, 1e308, 500, false))
                .hasMessageContaining("from 0.001 to 5000.0 kg");
        assertThatThrownBy(() -> tared.calibrate(5000, 1e-300, 500, true))
                .hasMessageContaining("from 0.001 to 5000.0 kg");
        assertThatThrownBy(() -> tared.calibrate(5000, Double.NaN, 500, true)).hasMessageContaining("was NaN");
        // 4000 counts: 2 kg gives 2000 counts per kg, 20 times the current 100 (grams typed as kg, or another load cell)
        assertThatThrownBy(() -> tared.calibrate(5000, 2, 500, false)).hasMessageContaining("more than 10 times off")
                .hasMessageContaining("\"force\": true");
        assertThatThrownBy(() -> tared.calibrate(5000, 500, 500, false)).hasMessageContaining("more than 10 times off");
        assertThat(tared.values()).isEqualTo(new CalibrationValues(1000, 100));
        assertThat(tared.calibrate(5000, 2, 500, true).countsPerKg()).as("forced: another load cell").isEqualTo(2000);
    }

    @Test
    void aFileThatIsNotACalibrationIsNamedWithWhatToDo(@TempDir Path dataDir) throws Exception {
        Files.writeString(dataDir.resolve(CalibrationFile.FILE_NAME), "offset=twelve\n");
        assertThatThrownBy(() -> new CalibrationFile(dataDir).load())
                .hasMessageContaining(CalibrationFile.FILE_NAME).hasMessageContaining("fix or delete it");
    }
}
