package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.scale.storage.ReadOnlyDisk;

class CalibrationTest {

    private final Calibration original = new Calibration(75353, 12780);

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
    void weightsAreNotRoundedHereTheDivisionStepRoundsThem() {
        assertThat(original.toKilograms(75353 + 6)).isEqualByComparingTo(BigDecimal.valueOf(6 / 12780.0));
        assertThat(new Calibration(0, 10).toKilograms(149)).isEqualByComparingTo("14.9");
    }

    @Test
    void lessThanTheOffsetIsANegativeWeightNotZero() {
        assertThat(original.toKilograms(75353 - 12780)).isEqualByComparingTo("-1.000");
    }

    @Test
    void extremeCountsDoNotOverflow() {
        assertThat(new Calibration(8388607, 1).toKilograms(-8388608)).isEqualByComparingTo("-16777215");
    }

    @Test
    void nonsenseCalibrationIsRefused() {
        assertThatThrownBy(() -> new Calibration(0, 0)).hasMessageContaining("counts per kg");
        assertThatThrownBy(() -> new Calibration(0, -5)).hasMessageContaining("counts per kg");
    }

    @Test
    void tareAndCalibrationAreSavedAndTheConfiguredValuesAreOnlyTheFirstRunsDefaults(@TempDir Path dataDir)
            throws Exception {
        CalibrationValues configured = new CalibrationValues(75353, 12780);
        Calibration first = new Calibration(configured, TemperatureModel.NONE, new CalibrationFile(dataDir));
        assertThat(first.values()).isEqualTo(configured);

        first.tare(100_000);
        first.calibrate(100_000 + 2 * 30_000, 2.0, 500, false);
        assertThat(first.toKilograms(100_000 + 5 * 30_000)).isEqualByComparingTo("5.000");

        // a crash mid-write leaves a temporary file beside the good one: it is never read
        Files.writeString(dataDir.resolve(CalibrationFile.FILE_NAME + ".tmp"), "offset=1\ncounts-p");
        Calibration next = new Calibration(configured, TemperatureModel.NONE, new CalibrationFile(dataDir));
        assertThat(next.values())
                .isEqualTo(new CalibrationValues(100_000, List.of(new CalibrationPoint(60_000, 2)), 0, null));
    }

    /** A tare that could not be saved would be gone after a restart: refused, saying why, and nothing changes. */
    @Test
    void aTareOrCalibrationThatCannotBeSavedIsRefusedWithTheDirectoryAndTheFix(@TempDir Path dataDir) throws Exception {
        Files.writeString(dataDir.resolve(CalibrationFile.FILE_NAME), "offset=1000\ncounts-per-kg=100\n");
        Calibration calibration = new Calibration(new CalibrationValues(0, 1), TemperatureModel.NONE,
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
        Calibration tared = new Calibration(1000, 100);
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
    void addedKnownWeightsMakeThePiecesOfAPiecewiseLinearConversion() {
        Calibration cell = new Calibration(1000, 100);
        cell.calibrate(1000 + 10_000, 10, 500, false); // zero and 10 kg: 1000 counts per kg
        cell.calibrate(1000 + 5_100, 5, 500, false, true); // 5 kg reads 5100 counts: the cell bends
        assertThat(cell.values().points()).extracting(CalibrationPoint::kg).containsExactly(5.0, 10.0);
        assertThat(cell.toKilograms(1000 + 2_550).doubleValue()).isCloseTo(2.5, within(1e-9));
        assertThat(cell.toKilograms(1000 + 7_550).doubleValue()).as("halfway from 5100 to 10000")
                .isCloseTo(7.5, within(1e-9));
        assertThat(cell.toKilograms(1000 + 14_900).doubleValue()).as("beyond the last: its segment extended")
                .isCloseTo(15, within(1e-9));
        assertThat(cell.values().highestKg()).isEqualTo(10);
        cell.calibrate(1000 + 5_000, 5, 500, false, true);
        assertThat(cell.values().points()).as("a weight added again replaces its point").hasSize(2);
        cell.calibrate(1000 + 2_000, 2, 500, false);
        assertThat(cell.values().points()).as("without add: one known weight again").hasSize(1);
    }

    @Test
    void aPointThatContradictsTheOthersIsRefused() {
        Calibration cell = new Calibration(0, 1000);
        cell.calibrate(10_000, 10, 500, false);
        assertThatThrownBy(() -> cell.calibrate(12_000, 5, 500, false, true)).hasMessageContaining("not more than");
        assertThat(cell.values().points()).hasSize(1);
    }

    @Test
    void tareAndCalibrationStartTheZeroShiftAgainAndCalibrationMeasuresFromTheShiftedZero() {
        Calibration cell = new Calibration(0, 1000);
        cell.shiftZero(0.002, false); // the zero drifted up by 2 counts' worth
        assertThat(cell.toKilograms(2).doubleValue()).isCloseTo(0, within(1e-9));
        cell.calibrate(2 + 10_000, 10, 500, false);
        assertThat(cell.offset()).isEqualTo(2);
        assertThat(cell.zeroShiftKg()).isZero();
        assertThat(cell.toKilograms(10_002).doubleValue()).isCloseTo(10, within(1e-9));
        cell.shiftZero(0.01, false);
        cell.tare(50);
        assertThat(cell.zeroShiftKg()).isZero();
    }

    @Test
    void pointsZeroShiftAndALearnedTemperatureModelAreSavedAndAnOlderFileStillLoads(@TempDir Path dataDir)
            throws Exception {
        Files.writeString(dataDir.resolve(CalibrationFile.FILE_NAME), "offset=1000\ncounts-per-kg=100\n");
        TemperatureModel configured = new TemperatureModel(0.001, Duration.ofSeconds(3), 21);
        Calibration older = new Calibration(new CalibrationValues(0, 1), configured, new CalibrationFile(dataDir));
        assertThat(older.values()).isEqualTo(new CalibrationValues(1000, 100));
        assertThat(older.temperatureModel()).as("none learned: the configured one").isEqualTo(configured);

        older.calibrate(1000 + 5_000, 5, 500, false, true);
        older.shiftZero(0.004, true);
        TemperatureModel learned = new TemperatureModel(0.0042, Duration.ofMillis(5300), 19.5);
        older.learnedTemperature(learned);

        Calibration restarted = new Calibration(new CalibrationValues(0, 1), configured, new CalibrationFile(dataDir));
        assertThat(restarted.values()).isEqualTo(older.values());
        assertThat(restarted.values().points()).hasSize(2);
        assertThat(restarted.zeroShiftKg()).isEqualTo(0.004);
        assertThat(restarted.temperatureModel()).isEqualTo(learned);
    }

    @Test
    void aValueThatIsNotANumberIsNamedWithItsLine(@TempDir Path dataDir) throws Exception {
        Files.writeString(dataDir.resolve(CalibrationFile.FILE_NAME), "# by hand\noffset=twelve\n");
        assertThatThrownBy(() -> new CalibrationFile(dataDir).load()).isInstanceOf(DamagedCalibrationException.class)
                .hasMessageContaining(dataDir.resolve(CalibrationFile.FILE_NAME).toString())
                .hasMessageContaining("offset=twelve on line 2 is not a valid value");
    }

    /** A digit changed into another digit still parses: only the check finds it. */
    @Test
    void aFlippedByteOrAFileCutShortIsFoundByItsCheck(@TempDir Path dataDir) throws Exception {
        CalibrationFile file = new CalibrationFile(dataDir);
        file.save(new CalibrationValues(75353, 12780));
        assertThat(file.load()).contains(new CalibrationValues(75353, 12780));
        byte[] saved = Files.readAllBytes(file.path());
        String text = new String(saved, java.nio.charset.StandardCharsets.UTF_8);

        byte[] flipped = saved.clone();
        flipped[text.indexOf("offset=75353") + "offset=7".length()] ^= 0x01; // 5 becomes 4: offset=74353
        Files.write(file.path(), flipped);
        assertThatThrownBy(file::load).isInstanceOf(DamagedCalibrationException.class)
                .hasMessageContaining("its check (line 1) does not match");

        Files.write(file.path(), java.util.Arrays.copyOf(saved, text.indexOf("counts-per-kg=12780") + 16));
        assertThatThrownBy(file::load).isInstanceOf(DamagedCalibrationException.class)
                .hasMessageContaining("its check (line 1) does not match");
    }

    @Test
    void aDamagedFileIsSetAsideAndNoWeightIsComputedUntilTaredAndCalibratedAgain(@TempDir Path dataDir)
            throws Exception {
        CalibrationFile file = new CalibrationFile(dataDir);
        file.save(new CalibrationValues(1000, 100));
        Files.writeString(file.path(), Files.readString(file.path()).replace("offset=1000", "offset=1001"));
        CalibrationValues configured = new CalibrationValues(0, 50);

        Calibration damaged = new Calibration(configured, TemperatureModel.NONE, file);
        assertThat(damaged.trusted()).isFalse();
        assertThat(damaged.damage()).hasValueSatisfying(reason -> assertThat(reason)
                .contains(file.path() + " is damaged", "moved to " + dataDir.resolve("calibration.properties.damaged"),
                        "{\"command\":\"tare\"}", "mqtts-scale calibrate"));
        assertThat(file.path()).as("set aside, not used").doesNotExist();
        assertThat(dataDir.resolve("calibration.properties.damaged")).content().contains("offset=1001");
        assertThatThrownBy(() -> damaged.toKilograms(6000)).as("no weight from the configured guess")
                .hasMessageContaining("no weight");

        Calibration restarted = new Calibration(configured, TemperatureModel.NONE, file);
        assertThat(restarted.damage()).as("a restart does not take the configured values either")
                .hasValueSatisfying(reason -> assertThat(reason).contains("found damaged at an earlier start",
                        "delete " + dataDir.resolve("calibration.properties.damaged")));
        assertThatThrownBy(() -> restarted.calibrate(6000, 2, 500, false))
                .hasMessageContaining("tare the empty scale first");

        restarted.tare(2000);
        assertThat(restarted.trusted()).as("tared, not yet calibrated").isFalse();
        assertThat(file.path()).as("nothing saved from a guessed slope").doesNotExist();
        restarted.calibrate(2000 + 400, 2, 100, false, true);
        assertThat(restarted.trusted()).isTrue();
        assertThat(restarted.values().points()).as("the configured slope is no known weight").hasSize(1);
        assertThat(restarted.toKilograms(2200).doubleValue()).isCloseTo(1.0, within(1e-9));
        assertThat(new Calibration(configured, TemperatureModel.NONE, file).values())
                .isEqualTo(restarted.values());
        assertThat(dataDir.resolve("calibration.properties.damaged")).as("still there to look at").exists();

        Files.writeString(file.path(), "offset=");
        assertThat(new Calibration(configured, TemperatureModel.NONE, file).damage()).hasValueSatisfying(
                reason -> assertThat(reason).contains("offset is missing", "calibration.properties.damaged-2"));
    }
}
