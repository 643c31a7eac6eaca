package io.github.mqttsscale.hx711;

import static io.github.mqttsscale.hx711.SimulatedScale.fastSettings;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The load cell's temperature, creep and non-linearity, on a clock the test moves: hours pass in no time and every
 * figure is exact. A cell made here has no chip, so nothing but the test asks the model.
 */
class SimulatedLoadCellTest {

    private static final double PERIOD_S = 60;
    private static final double LAG_S = 5;
    private static final double OMEGA = 2 * Math.PI / PERIOD_S;

    private final AtomicLong nanos = new AtomicLong(123_456_789_000L);
    private final SimulatedLoadCell cell = new SimulatedLoadCell();

    SimulatedLoadCellTest() {
        cell.setNanoTime(nanos::get);
    }

    @Test
    void withTheDefaultsTheCellReadsItsLoadExactlyAtAnyTime() {
        cell.setLoadKg(2.5);
        int counts = 75353 + (int) Math.round(2.5 * 12780);

        for (int hour = 0; hour <= 48; hour++) {
            assertEquals(2.5, cell.readKg(), 0.0, "load at hour " + hour);
            assertEquals(counts, cell.expectedCounts(Hx711Gain.A128), "counts at hour " + hour);
            assertEquals(20, cell.getAmbientTemperatureC(), 0.0, "air at hour " + hour);
            assertEquals(20, cell.getCellTemperatureC(), 0.0, "cell at hour " + hour);
            advanceSeconds(3600);
        }
    }

    @Test
    void theCellFollowsAStepOfTheAirThroughItsLag() {
        cell.setCellLag(Duration.ofSeconds(10));
        cell.setZeroDriftKgPerC(0.004);

        cell.setAmbientMeanC(30);

        assertEquals(30, cell.getAmbientTemperatureC(), 1e-12, "the air at once");
        assertEquals(20, cell.getCellTemperatureC(), 1e-12, "the cell not yet");
        assertEquals(0, cell.readKg(), 1e-12, "at the reference temperature the zero stays");
        advanceSeconds(10);
        assertEquals(30 - 10 * Math.exp(-1), cell.getCellTemperatureC(), 1e-9, "63 % of the step after one τ");
        assertEquals(0.004 * (10 - 10 * Math.exp(-1)), cell.readKg(), 1e-12, "the zero moved with the cell");
        advanceSeconds(20);
        assertEquals(30 - 10 * Math.exp(-3), cell.getCellTemperatureC(), 1e-9, "95 % after three τ");
        advanceSeconds(1000);
        assertEquals(30, cell.getCellTemperatureC(), 1e-9, "there");
        assertEquals(0.04, cell.readKg(), 1e-12, "0.004 kg/°C × 10 °C above the reference");
    }

    @Test
    void theCellFollowsASineOfTheAirDampedAndLateAsAFirstOrderLagDoes() {
        sineOfEightDegrees();
        // from where the test's cell starts (20 °C); after 20 τ nothing is left of that start
        advanceSeconds(20 * LAG_S);
        double airMax = Double.NEGATIVE_INFINITY;
        double cellMax = Double.NEGATIVE_INFINITY;
        double cellMin = Double.POSITIVE_INFINITY;
        long airPeakMs = 0;
        long cellPeakMs = 0;
        for (long ms = 0; ms < 60_000; ms++) {
            double air = cell.getAmbientTemperatureC();
            double cellC = cell.getCellTemperatureC();
            if (air > airMax) {
                airMax = air;
                airPeakMs = ms;
            }
            if (cellC > cellMax) {
                cellMax = cellC;
                cellPeakMs = ms;
            }
            cellMin = Math.min(cellMin, cellC);
            nanos.addAndGet(1_000_000);
        }
        double expectedRatio = 1 / Math.sqrt(1 + Math.pow(OMEGA * LAG_S, 2));
        double expectedDelayMs = Math.atan(OMEGA * LAG_S) / OMEGA * 1000;
        double delayMs = Math.floorMod(cellPeakMs - airPeakMs, 60_000);

        double ratio = (cellMax - cellMin) / 2 / 8;
        double peak = airMax;
        double mean = (cellMax + cellMin) / 2;
        assertAll(() -> assertEquals(28, peak, 1e-6, "the air's peak: mean + amplitude"),
                () -> assertEquals(expectedRatio, ratio, 1e-6, "the cell's swing over the air's: 1/√(1+(ωτ)²)"),
                () -> assertEquals(20, mean, 1e-6, "about the same mean"),
                () -> assertEquals(expectedDelayMs, delayMs, 1, "the cell's peak later by atan(ωτ)/ω"));
    }

    @Test
    void theCellsTemperatureIsTheSameHoweverOftenItIsAsked() {
        SimulatedLoadCell often = new SimulatedLoadCell();
        often.setNanoTime(nanos::get);
        for (SimulatedLoadCell each : new SimulatedLoadCell[]{cell, often}) {
            each.setAmbientAmplitudeC(8);
            each.setAmbientPeriod(Duration.ofSeconds(60));
            each.setCellLag(Duration.ofSeconds(5));
        }
        // the chip asks 80 times a second, a paused chip not for a minute, a caller now and then
        long[] gapsMs = {12, 12, 12, 60_000, 1, 7_300, 500, 12_345, 100_000, 3};
        for (long gapMs : gapsMs) {
            for (long ms = 0; ms < gapMs; ms++) {
                nanos.addAndGet(1_000_000);
                often.getCellTemperatureC();
            }
            assertEquals(often.getCellTemperatureC(), cell.getCellTemperatureC(), 1e-9,
                    "after a gap of " + gapMs + " ms");
        }
    }

    @Test
    void aSettledCellStartsInTheSteadyStateOfItsSurroundings() {
        sineOfEightDegrees();
        advanceSeconds(7.5);

        cell.settleCellTemperature();

        for (int s = 0; s < 120; s++) {
            double t = 7.5 + s;
            double expected = 20 + 8 / Math.sqrt(1 + Math.pow(OMEGA * LAG_S, 2))
                    * Math.sin(OMEGA * t - Math.atan(OMEGA * LAG_S));
            assertEquals(expected, cell.getCellTemperatureC(), 1e-9, "at " + t + " s, no transient");
            assertEquals(20 + 8 * Math.sin(OMEGA * t), cell.getAmbientTemperatureC(), 1e-9, "the air at " + t + " s");
            advanceSeconds(1);
        }
    }

    @Test
    void aroundTheReferenceTemperatureTheZeroDriftAveragesOut() {
        sineOfEightDegrees();
        cell.setZeroDriftKgPerC(0.004);
        cell.setLoadKg(2.5);
        cell.settleCellTemperature();
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        int steps = 6000;
        for (int i = 0; i < steps; i++) {
            double errorKg = cell.readKg() - 2.5;
            sum += errorKg;
            max = Math.max(max, errorKg);
            advanceSeconds(PERIOD_S / steps);
        }
        double swingKg = 0.004 * 8 / Math.sqrt(1 + Math.pow(OMEGA * LAG_S, 2));

        assertEquals(0, sum / steps, 1e-9, "mean error over a period (mean 20 °C, the reference)");
        assertEquals(swingKg, max, 1e-6, "0.004 kg/°C × the cell's swing");
    }

    @Test
    void creepAddsItsRatePerHourAndKeepsWhatItAddedWhenItStops() {
        cell.setLoadKg(2);
        cell.setCreepKgPerHour(0.36);

        advanceSeconds(60);
        assertEquals(2.006, cell.readKg(), 1e-12, "a minute");
        advanceSeconds(3540);
        assertEquals(2.36, cell.readKg(), 1e-12, "an hour");
        assertEquals(75353 + Math.round(2.36 * 12780), cell.expectedCounts(Hx711Gain.A128), "in counts");
        cell.setCreepKgPerHour(0);
        advanceSeconds(3600);
        assertEquals(2.36, cell.readKg(), 1e-12, "stopped, the zero stays where creep took it");
    }

    @Test
    void aNonLinearCellReadsOffMostAtHalfScaleAndTrueAtZeroAndFullScale() {
        cell.setFullScaleKg(10);
        cell.setNonlinearity(0.01);

        double[] loads = {0, 2.5, 5, 7.5, 10};
        double[] reads = {0, 2.575, 5.1, 7.575, 10};
        for (int i = 0; i < loads.length; i++) {
            cell.setLoadKg(loads[i]);
            assertEquals(reads[i], cell.readKg(), 1e-12, "reads at " + loads[i] + " kg");
            assertEquals(75353 + Math.round(reads[i] * 12780), cell.expectedCounts(Hx711Gain.A128),
                    "counts at " + loads[i] + " kg");
        }
        // what a calibration at 0 and 10 kg then makes of 5 kg
        cell.setLoadKg(0);
        int zero = cell.expectedCounts(Hx711Gain.A128);
        cell.setLoadKg(10);
        double countsPerKg = (cell.expectedCounts(Hx711Gain.A128) - zero) / 10.0;
        cell.setLoadKg(5);
        assertEquals(5.1, (cell.expectedCounts(Hx711Gain.A128) - zero) / countsPerKg, 0.0001,
                "100 g off at half scale");
    }

    @Test
    void settingsThatMeanNothingAreRefusedWithWhatIsWrong() {
        assertAll(
                () -> assertEquals("the ambient temperature's period must be longer than 0, was PT0S",
                        assertThrows(IllegalArgumentException.class, () -> cell.setAmbientPeriod(Duration.ZERO))
                                .getMessage()),
                () -> assertEquals("the cell's temperature lag must be 0 or longer, was PT-1S",
                        assertThrows(IllegalArgumentException.class,
                                () -> cell.setCellLag(Duration.ofSeconds(-1))).getMessage()),
                () -> assertEquals("full scale must be a finite weight above 0 kg, was 0.0",
                        assertThrows(IllegalArgumentException.class, () -> cell.setFullScaleKg(0)).getMessage()),
                () -> assertEquals("creep per hour must be a finite number, was NaN",
                        assertThrows(IllegalArgumentException.class, () -> cell.setCreepKgPerHour(Double.NaN))
                                .getMessage()));
    }

    /** Through the facade and the chip: what the driver reads has the drift in it. */
    @Test
    void theDriverReadsTheDriftedCounts() {
        try (SimulatedScale scale = new SimulatedScale(fastSettings(1), sim -> {
            Hx711SimulatorTesting.setNanoTime(sim, nanos::get);
            sim.setLoadKg(2.5);
            sim.setAmbientMeanC(30);
            sim.setZeroDriftKgPerC(0.004);
            sim.setCreepKgPerHour(0.36);
            sim.setNonlinearity(0.01);
            sim.setFullScaleKg(10);
        })) {
            advanceSeconds(3600);
            // 2.5 kg on a 1 % cell of 10 kg reads 2.575; 10 °C above the reference 0.04; an hour's creep 0.36
            double expectedKg = 2.575 + 0.04 + 0.36;

            scale.read(); // may still carry a conversion made before the clock moved

            Hx711Reading reading = scale.read();

            assertEquals(expectedKg, Hx711SimulatorTesting.readKg(scale.simulator), 1e-12);
            assertEquals(75353 + Math.round(expectedKg * 12780), reading.raw(), "counts the driver read");
            assertEquals(30, scale.simulator.getAmbientTemperatureC(), 0.0);
            assertEquals(30, scale.simulator.getCellTemperatureC(), 0.0, "no lag set: the cell is at the air's");
        }
    }

    private void sineOfEightDegrees() {
        cell.setAmbientAmplitudeC(8);
        cell.setAmbientPeriod(Duration.ofSeconds((long) PERIOD_S));
        cell.setCellLag(Duration.ofSeconds((long) LAG_S));
    }

    private void advanceSeconds(double seconds) {
        nanos.addAndGet(Math.round(seconds * 1e9));
    }
}
