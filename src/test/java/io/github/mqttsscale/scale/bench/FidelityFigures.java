package io.github.mqttsscale.scale.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.github.mqttsscale.hx711.Hx711Gain;
import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.hx711.Hx711SimulatorTesting;
import io.github.mqttsscale.scale.temperature.TemperatureFit;
import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.ScaleProblems;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.TemperatureModel;
import io.github.mqttsscale.scale.weighing.ZeroTracking;

/**
 * The temperature and non-linearity figures of docs/fidelity.md ({@code ./mvnw -B -o -q -Pfidelity}): the simulated
 * load cell ({@link Hx711Simulator}) on a clock this program moves, so minutes of temperature cycles take no time and
 * every run gives the same numbers, and the scale's own {@link Calibration} and {@link TemperatureModel} turning its
 * counts into kilograms. No broker, no route: the model alone, without noise.
 * <p>
 * The cell of issue 20's "Done when": 2.5 kg on it, the air 20 ± 8 °C with a period of 60 s, the cell 5 s behind
 * (first-order lag), 0.004 kg/°C of zero drift; weighed once a second on the simulator's default calibration (75353
 * counts, 12780 counts/kg). The figures cover the 5 periods after the first 2 minutes (what learn-temperature takes).
 */
public final class FidelityFigures {

    static final double LOAD_KG = 2.5;
    static final double AMPLITUDE_C = 8;
    static final int PERIOD_S = 60;
    static final double DRIFT_KG_PER_C = 0.004;
    static final int LAG_S = 5;
    /** The first 2 minutes: learning, and the compensation's start-up. */
    static final int WARM_UP_S = 120;
    static final int MEASURED_S = 5 * PERIOD_S;
    static final double FULL_SCALE_KG = 10;
    static final double NONLINEARITY = 0.01;
    /** The division of the non-linearity figures, as in the issue: 5 g. */
    static final double DIVISION_KG = 0.005;
    static final double[] BETWEEN_POINTS_KG = {1.25, 3.75, 5, 6.25, 8.75};

    private FidelityFigures() {
    }

    public static void main(String[] args) {
        List<Second> run = temperatureRun(WARM_UP_S + MEASURED_S);
        TemperatureModel truth = new TemperatureModel(DRIFT_KG_PER_C, Duration.ofSeconds(LAG_S), 20);
        System.out.println("| compensation | largest error | RMS error | error from, to |");
        System.out.println("| --- | --- | --- | --- |");
        row("none", errors(run, second -> 0));
        row("true model, cell estimated between readings (readings every 1 s)",
                errors(run, compensation(run, truth, Estimate.INTERPOLATING, 1)));
        row("true model, cell stepped towards each new reading (every 1 s)",
                errors(run, compensation(run, truth, Estimate.STEPPING, 1)));
        row("true model, cell stepped towards the latest reading, read every 10 s",
                errors(run, compensation(run, truth, Estimate.STEPPING, 10)));
        TemperatureModel learned = learned(run);
        row(String.format(Locale.ROOT, "learned from the first 2 minutes (%.4f kg/°C, lag %.1f s), between readings",
                learned.zeroDriftKgPerC(), learned.lag().toMillis() / 1000.0),
                errors(run, compensation(run, learned, Estimate.INTERPOLATING, 1)));
        System.out.println();
        System.out.println("| load | two-point (0, 10 kg) | multi-point (0, 2.5, 5, 7.5, 10 kg) |");
        System.out.println("| --- | --- | --- |");
        Map<Double, Double> twoPoint = calibrationErrorsKg(10);
        Map<Double, Double> multiPoint = calibrationErrorsKg(2.5, 5, 7.5, 10);
        for (double load : BETWEEN_POINTS_KG) {
            System.out.printf(Locale.ROOT, "| %.2f kg | %s | %s |%n", load, divisions(twoPoint.get(load)),
                    divisions(multiPoint.get(load)));
        }
        System.out.println();
        System.out.println("| empty scale, e = 2 g, capacity 10 kg | weight after 2 min, untracked | tracked | "
                + "largest error, tracked | zero shift |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (double[] drive : new double[][]{{0.36, 0}, {0, 0.0005}, {0, 0.002}, {0, 0.010}}) {
            Tracked tracked = zeroTrackingRun(drive[0], drive[1], TRACKED_S);
            String what = drive[0] > 0
                    ? String.format(Locale.ROOT, "creeping %.2f kg/h", drive[0])
                    : String.format(Locale.ROOT, "a load added at %.1f g/s", drive[1] * 1000);
            System.out.printf(Locale.ROOT, "| %s | %+.1f g | %+.1f g | %.1f g | %+.1f g |%n", what,
                    tracked.untrackedKg() * 1000, tracked.trackedKg() * 1000, tracked.largestErrorKg() * 1000,
                    tracked.zeroShiftKg() * 1000);
        }
    }

    static final int TRACKED_S = 120;

    /**
     * The last second of a run of zero tracking: what the scale reads without and with it, the largest error of the
     * tracked weight against the load on it, and the zero shift.
     */
    record Tracked(double untrackedKg, double trackedKg, double largestErrorKg, double zeroShiftKg) {
    }

    /**
     * An empty, tared scale (e = 2 g, capacity 10 kg, zero tracking as by default) weighed once a second through the
     * scale's own {@link ZeroTracking}: its zero creeping at {@code creepKgPerHour}, and a load put on at
     * {@code addingKgPerSecond} (a container filling). Without noise every reading is stable, as it would be.
     */
    static Tracked zeroTrackingRun(double creepKgPerHour, double addingKgPerSecond, int seconds) {
        AtomicLong nanos = new AtomicLong();
        try (Hx711Simulator simulator = new Hx711Simulator()) {
            Hx711SimulatorTesting.setNanoTime(simulator, nanos::get);
            simulator.setCreepKgPerHour(creepKgPerHour);
            simulator.setLoadKg(0);
            Calibration calibration = new Calibration(Hx711Simulator.DEFAULT_OFFSET_COUNTS,
                    Hx711Simulator.DEFAULT_COUNTS_PER_KG);
            ScaleProperties settings = new Binder(new MapConfigurationPropertySource(Map.of("scale.device-id", "empty",
                    "scale.data-dir", "unused", "scale.routes-dir", "unused", "scale.division-kg", "0.002",
                    "scale.capacity-kg", "10"))).bindOrCreate("scale", ScaleProperties.class);
            Scale scale = new Scale("empty", "", settings, "unused", calibration, null, null, null, null, null, null,
                    Optional.empty(), new ScaleProblems("empty"), null);
            ZeroTracking tracking = new ZeroTracking(scale).withClock(new Clock() {
                @Override
                public Instant instant() {
                    return Instant.EPOCH.plusNanos(nanos.get());
                }

                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }
            });
            Calibration untracked = new Calibration(Hx711Simulator.DEFAULT_OFFSET_COUNTS,
                    Hx711Simulator.DEFAULT_COUNTS_PER_KG);
            double largest = 0;
            double load = 0;
            double untrackedKg = 0;
            double trackedKg = 0;
            for (int t = 0; t <= seconds; t++) {
                load = addingKgPerSecond * t;
                simulator.setLoadKg(load);
                untrackedKg = untracked.toKilograms(counts(simulator)).doubleValue();
                trackedKg = tracking.track(calibration.toKilograms(counts(simulator)), true).doubleValue();
                largest = Math.max(largest, Math.abs(trackedKg - load));
                nanos.addAndGet(1_000_000_000L);
            }
            return new Tracked(untrackedKg, trackedKg, largest, calibration.zeroShiftKg());
        }
    }

    /** What the scale sees in one second: the air's temperature as a sensor beside the cell reads it, and the weight. */
    record Second(int t, double airC, double weightKg) {
    }

    /** The weight's error, in kg: its largest size, its root mean square and its lowest and highest value. */
    record Errors(double largestKg, double rmsKg, double lowestKg, double highestKg) {
    }

    /** The cell's temperature estimated from the readings of the air's, with the cell's lag. */
    enum Estimate {
        /** Exact for an air temperature that moves in a straight line from one reading to the next. */
        INTERPOLATING,
        /** A first-order step towards the latest reading, as if the air had been there since the step before. */
        STEPPING
    }

    /** The cell of issue 20, weighed and its air read once a second from t = 0, without noise. */
    static List<Second> temperatureRun(int seconds) {
        AtomicLong nanos = new AtomicLong();
        try (Hx711Simulator simulator = new Hx711Simulator()) {
            Hx711SimulatorTesting.setNanoTime(simulator, nanos::get);
            simulator.setLoadKg(LOAD_KG);
            simulator.setAmbientAmplitudeC(AMPLITUDE_C);
            simulator.setAmbientPeriod(Duration.ofSeconds(PERIOD_S));
            simulator.setCellLag(Duration.ofSeconds(LAG_S));
            simulator.settleCellTemperature();
            simulator.setZeroDriftKgPerC(DRIFT_KG_PER_C);
            Calibration calibration = new Calibration(Hx711Simulator.DEFAULT_OFFSET_COUNTS,
                    Hx711Simulator.DEFAULT_COUNTS_PER_KG);
            List<Second> run = new ArrayList<>();
            for (int t = 0; t <= seconds; t++) {
                double kg = calibration
                        .toKilograms(Hx711SimulatorTesting.expectedCounts(simulator, Hx711Gain.A128)).doubleValue();
                run.add(new Second(t, simulator.getAmbientTemperatureC(), kg));
                nanos.addAndGet(1_000_000_000L);
            }
            return run;
        }
    }

    /**
     * The model's correction for each second of the run: the cell's temperature estimated from the air's readings
     * (one every {@code readEverySeconds}), starting at the first reading.
     */
    static Correction compensation(List<Second> run, TemperatureModel model, Estimate estimate, int readEverySeconds) {
        double tau = model.lag().toNanos() / 1e9;
        double[] corrections = new double[run.size()];
        double cellC = run.get(0).airC();
        double lastReadingC = cellC;
        for (Second second : run) {
            double readingC = second.t() % readEverySeconds == 0 ? second.airC() : lastReadingC;
            if (second.t() > 0) {
                double fade = Math.exp(-1 / tau);
                if (estimate == Estimate.INTERPOLATING) {
                    // τ T' = u − T with u a straight line of slope s: T follows u − τ s, the difference fading
                    double slope = readingC - lastReadingC;
                    cellC = readingC - tau * slope + (cellC - lastReadingC + tau * slope) * fade;
                } else {
                    cellC = readingC + (cellC - readingC) * fade;
                }
            }
            lastReadingC = readingC;
            corrections[second.t()] = model.correctionKg(cellC);
        }
        return second -> corrections[second.t()];
    }

    /**
     * The model learn-temperature finds from the first {@link #WARM_UP_S} seconds of the run (the scale's own
     * {@link TemperatureFit}, lags up to 3 × the span, as learning searches them).
     */
    static TemperatureModel learned(List<Second> run) {
        List<Second> learning = run.subList(0, WARM_UP_S + 1);
        double[] times = learning.stream().mapToDouble(Second::t).toArray();
        TemperatureFit.Result fit = new TemperatureFit(times, learning.stream().mapToDouble(Second::airC).toArray(),
                times, learning.stream().mapToDouble(Second::weightKg).toArray()).best(3.0 * WARM_UP_S);
        return new TemperatureModel(fit.coefficient(), Duration.ofMillis(Math.round(fit.lagSeconds() * 1000)), 20);
    }

    /** What a compensation takes off the weight of one second. */
    interface Correction {
        double kg(Second second);
    }

    /** The compensated weight's errors over the measured periods, after the warm-up. */
    static Errors errors(List<Second> run, Correction correction) {
        double largest = 0;
        double squares = 0;
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (Second second : run) {
            if (second.t() < WARM_UP_S) {
                continue;
            }
            double error = second.weightKg() - correction.kg(second) - LOAD_KG;
            largest = Math.max(largest, Math.abs(error));
            squares += error * error;
            lowest = Math.min(lowest, error);
            highest = Math.max(highest, error);
            n++;
        }
        return new Errors(largest, Math.sqrt(squares / n), lowest, highest);
    }

    /**
     * On the 1 % non-linear 10 kg cell: tared empty, calibrated with these known weights (the first alone, the others
     * added), the error of the weight at each load of {@link #BETWEEN_POINTS_KG}, in kg.
     */
    static Map<Double, Double> calibrationErrorsKg(double... knownWeightsKg) {
        try (Hx711Simulator simulator = new Hx711Simulator()) {
            simulator.setFullScaleKg(FULL_SCALE_KG);
            simulator.setNonlinearity(NONLINEARITY);
            Calibration calibration = new Calibration(Hx711Simulator.DEFAULT_OFFSET_COUNTS,
                    Hx711Simulator.DEFAULT_COUNTS_PER_KG);
            simulator.setLoadKg(0);
            calibration.tare(counts(simulator));
            for (int i = 0; i < knownWeightsKg.length; i++) {
                simulator.setLoadKg(knownWeightsKg[i]);
                calibration.calibrate(counts(simulator), knownWeightsKg[i], 500, false, i > 0);
            }
            Map<Double, Double> errors = new LinkedHashMap<>();
            for (double load : BETWEEN_POINTS_KG) {
                simulator.setLoadKg(load);
                errors.put(load, calibration.toKilograms(counts(simulator)).doubleValue() - load);
            }
            return errors;
        }
    }

    private static int counts(Hx711Simulator simulator) {
        return Hx711SimulatorTesting.expectedCounts(simulator, Hx711Gain.A128);
    }

    private static void row(String name, Errors errors) {
        System.out.printf(Locale.ROOT, "| %s | %.1f g | %.2f g | %+.1f g, %+.1f g |%n", name, errors.largestKg() * 1000,
                errors.rmsKg() * 1000, errors.lowestKg() * 1000, errors.highestKg() * 1000);
    }

    private static String divisions(double errorKg) {
        return String.format(Locale.ROOT, "%+.1f g (%+.2f e)", errorKg * 1000, errorKg / DIVISION_KG);
    }
}
