package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.github.mqttsscale.scale.testsupport.TestClock;

/**
 * Automatic zero tracking as OIML R76 bounds it: only near zero, only stable, at most the rate, within the range; a
 * creeping empty scale stays at zero, a load is never tracked away.
 */
class ZeroTrackingTest {

    private static final double COUNTS_PER_KG = 10_000;

    @TempDir
    Path dataDir;

    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T00:00:00Z"));
    private final Calibration calibration = new Calibration(0, COUNTS_PER_KG);
    private final ScaleProblems problems = new ScaleProblems("hive");

    @Test
    void aCreepingEmptyScaleStaysAtZeroAndTheShiftFollowsTheCreep() {
        ZeroTracking tracking = tracking(Map.of());
        double creepKgPerSecond = 0.36 / 3600; // 0.1 g/s, a fifth of the rate of 0.5 e/s with e = 2 g
        double worst = 0;
        for (int second = 0; second <= 120; second++) {
            double weight = reading(second * creepKgPerSecond, tracking, true);
            worst = Math.max(worst, Math.abs(weight));
        }
        assertThat(worst).as("the published weight stays within 1 g of zero").isLessThan(0.001);
        assertThat(calibration.zeroShiftKg()).isCloseTo(120 * creepKgPerSecond, within(0.0002));
        assertThat(problems.now()).isEmpty();
    }

    @Test
    void aLoadIsNotTrackedAwayNorAWeightInMotion() {
        ZeroTracking tracking = tracking(Map.of());
        assertThat(reading(2.0, tracking, true)).as("away from zero").isEqualTo(2.0);
        assertThat(reading(0.0008, tracking, false)).as("in motion").isEqualTo(0.0008);
        assertThat(calibration.zeroShiftKg()).isZero();
    }

    @Test
    void aLoadAddedFasterThanTheRateLeavesTheBandAndStays() {
        ZeroTracking tracking = tracking(Map.of());
        // 2 g/s, twice the rate: the tracking follows at 1 g/s and the load leaves the band of ±1 g
        double weight = 0;
        for (int second = 0; second <= 30; second++) {
            weight = reading(second * 0.002, tracking, true);
        }
        assertThat(weight).as("the 60 g added are still on the scale, less the first gram followed")
                .isGreaterThan(0.058);
        assertThat(calibration.zeroShiftKg()).isLessThan(0.0021);
    }

    @Test
    void theZeroMovesAtMostTheRate() {
        ZeroTracking tracking = tracking(Map.of());
        reading(0, tracking, true);
        double weight = reading(0.0009, tracking, true); // one second later, within the band, 0.9 g off
        assertThat(calibration.zeroShiftKg()).isCloseTo(0.0009, within(1e-12));
        assertThat(weight).isCloseTo(0, within(1e-12));
        clock.advance(Duration.ofMillis(100));
        tracking.track(BigDecimal.valueOf(0.0009), true);
        assertThat(calibration.zeroShiftKg()).as("0.1 s at 1 g/s: 0.1 g more").isCloseTo(0.0010, within(1e-12));
    }

    @Test
    void beyondItsRangeTrackingStopsAndSaysSo() {
        // capacity 0.1 kg, 4 %: at most 4 g
        ZeroTracking tracking = tracking(Map.of("scale.capacity-kg", "0.1"));
        for (int second = 0; second <= 20; second++) {
            reading(second * 0.0005, tracking, true);
        }
        assertThat(calibration.zeroShiftKg()).isLessThanOrEqualTo(0.004);
        assertThat(problems.now()).containsKey(ZeroTracking.PROBLEM);
        assertThat(problems.now().get(ZeroTracking.PROBLEM)).contains("range", "tare the empty scale");
        calibration.tare(0);
        reading(0, tracking, true);
        assertThat(problems.now()).as("a tare starts the range again").isEmpty();
    }

    @Test
    void offWithoutACapacityOrWhenDisabled() {
        Map<String, String> noCapacity = new HashMap<>(Map.of());
        noCapacity.put("scale.capacity-kg", "");
        ZeroTracking withoutCapacity = tracking(noCapacity);
        reading(0, withoutCapacity, true);
        assertThat(reading(0.0008, withoutCapacity, true)).isEqualTo(0.0008);
        ZeroTracking disabled = tracking(Map.of("scale.zero-tracking.enabled", "false"));
        reading(0, disabled, true);
        assertThat(reading(0.0008, disabled, true)).isEqualTo(0.0008);
        assertThat(calibration.zeroShiftKg()).isZero();
    }

    @Test
    void theShiftIsSavedOnceItMovedADivisionAtMostOnceAMinuteAndAtAStop() {
        Calibration saved = new Calibration(new CalibrationValues(0, COUNTS_PER_KG), TemperatureModel.NONE,
                new CalibrationFile(dataDir));
        ZeroTracking tracking = new ZeroTracking(scale(Map.of(), saved)).withClock(clock);
        for (int second = 0; second <= 10; second++) {
            clock.advance(Duration.ofSeconds(1));
            tracking.track(BigDecimal.valueOf(0.0009), true); // the zero keeps drifting up, 0.9 g/s
        }
        double firstSave = new CalibrationFile(dataDir).load().orElseThrow().zeroShiftKg();
        assertThat(firstSave).as("saved once it moved 2 g").isBetween(0.002, 0.003);
        assertThat(saved.zeroShiftKg()).isGreaterThan(0.008);
        saved.saveUnsaved();
        assertThat(new CalibrationFile(dataDir).load().orElseThrow().zeroShiftKg()).isEqualTo(saved.zeroShiftKg());
    }

    /** One reading a second later whose weight before tracking is {@code drift} minus the zero shift so far. */
    private double reading(double drift, ZeroTracking tracking, boolean stable) {
        clock.advance(Duration.ofSeconds(1));
        BigDecimal converted = calibration.toKilograms(drift * COUNTS_PER_KG);
        return tracking.track(converted, stable).doubleValue();
    }

    private ZeroTracking tracking(Map<String, String> settings) {
        return new ZeroTracking(scale(settings, calibration)).withClock(clock);
    }

    private Scale scale(Map<String, String> extra, Calibration calibration) {
        Map<String, String> settings = new HashMap<>(Map.of("scale.device-id", "hive", "scale.data-dir",
                dataDir.toString(), "scale.routes-dir", "routes", "scale.division-kg", "0.002", "scale.capacity-kg",
                "10"));
        settings.putAll(extra);
        settings.values().removeIf(String::isEmpty);
        ScaleProperties scale = new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("scale",
                ScaleProperties.class);
        return new Scale("hive", "", scale, "scale/hive/weight", calibration, null, null, null, null, null, null,
                Optional.empty(), problems, null);
    }

}
