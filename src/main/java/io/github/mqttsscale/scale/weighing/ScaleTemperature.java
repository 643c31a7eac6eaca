package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.mqttsscale.hx711.Hx711Constants;
import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.temperature.Ds18b20;
import io.github.mqttsscale.scale.temperature.LagFilter;
import io.github.mqttsscale.scale.temperature.SimulatedThermometer;
import io.github.mqttsscale.scale.temperature.TemperatureSensor;
import io.github.mqttsscale.scale.temperature.TemperatureSensorException;

/**
 * One scale's temperature compensation: the thermometer next to its load cell (scale.temperature.source), the cell's
 * temperature following it through the model's lag ({@link LagFilter}), and learn-temperature. The bean
 * {@code <device-id>-temperature} of three steps: {@code read-temperature-sensor} of the route read-temperature (which
 * keeps the latest temperature), {@code compensate-temperature} of weigh-and-publish (which takes the model's
 * correction off the weight), and, when a learn-temperature's time is up, {@code fit-temperature-model}.
 * <p>
 * A sensor that fails is reported once in the scale's problems (key {@value #PROBLEM}), with what to check; while it
 * fails the weight is published uncompensated and without temperatureC. The cell's temperature carries on across
 * such a gap from where it was.
 */
public class ScaleTemperature {

    /** The key of a failing temperature sensor in {@link ScaleProblems}. */
    public static final String PROBLEM = "temperature-sensor";

    private static final Logger LOG = LoggerFactory.getLogger(ScaleTemperature.class);

    private final String deviceId;
    private final TemperatureSensor sensor;
    private final Calibration calibration;
    private final ScaleProblems problems;
    private final double toleranceKg;
    private final Clock clock;
    /** A temperature older than this is none: the route read-temperature stopped reading. */
    private final Duration staleAfter;
    /** Times are seconds since then, for the lag filter and learning. */
    private final Instant origin;

    private final LagFilter cell = new LagFilter();
    private Double latestC;
    /** When {@link #latestC} was measured, in seconds since {@link #origin}. */
    private double latestTime;
    private Instant lastReadAt;
    /** When a temperature was first asked for: from then on one must come within {@link #staleAfter}. */
    private Instant firstAsked;
    private TemperatureLearning learning;
    private String lastLearned;

    /**
     * @param sensor      the thermometer next to the cell, null without one (scale.temperature.source none)
     * @param toleranceKg the scale's stable tolerance: learn-temperature's limit for a changed load and a poor fit
     */
    public ScaleTemperature(String deviceId, TemperatureSensor sensor, Duration readInterval, Calibration calibration,
            ScaleProblems problems, double toleranceKg, Clock clock) {
        this.deviceId = deviceId;
        this.sensor = sensor;
        this.calibration = calibration;
        this.problems = problems;
        this.toleranceKg = toleranceKg;
        this.clock = clock;
        // a DS18B20 takes up to 750 ms per read; a busy Pi may be late with the timer
        this.staleAfter = readInterval.multipliedBy(3).plusSeconds(2);
        this.origin = clock.instant();
    }

    /**
     * The thermometer scale.temperature.source names: none (null), a DS18B20, or the simulator's. A source the scale
     * cannot have (simulated without the simulated HX711) is a sensor that fails saying so: the scale weighs on.
     */
    public static TemperatureSensor sensor(TemperatureOptions options, Optional<Hx711Simulator> simulator) {
        return switch (options.source()) {
            case NONE -> null;
            case DS18B20 -> new Ds18b20(options.ds18b20().devicesDir(), options.ds18b20().device());
            case SIMULATED -> simulator.<TemperatureSensor>map(
                    simulated -> new SimulatedThermometer(simulated::getAmbientTemperatureC))
                    .orElseGet(() -> new TemperatureSensor() {
                        @Override
                        public double readC() {
                            throw new TemperatureSensorException("scale.temperature.source is simulated, but this "
                                    + "scale reads a real HX711: set scale.temperature.source to ds18b20 (a DS18B20 "
                                    + "next to the load cell) or none");
                        }

                        @Override
                        public String describe() {
                            return "no simulator";
                        }
                    });
        };
    }

    /** Whether the scale has a temperature sensor (scale.temperature.source is not none). */
    public boolean hasSensor() {
        return sensor != null;
    }

    /**
     * Step read-temperature-sensor: reads the sensor and keeps the temperature for the weighing route. Without a sensor
     * (source none) it returns at once: the route's timer ticks, nothing is read.
     */
    public void read() {
        if (sensor == null) {
            return;
        }
        double celsius;
        Instant before = clock.instant();
        Instant after;
        try {
            celsius = sensor.readC();
            after = clock.instant();
        } catch (TemperatureSensorException e) {
            synchronized (this) {
                latestC = null;
                lastReadAt = clock.instant();
            }
            problems.report(PROBLEM, "no temperature from " + sensor.describe() + ", the weight is not compensated: "
                    + e.getMessage());
            return;
        }
        synchronized (this) {
            // measured while it was read (a DS18B20 converts during the read's 750 ms), not when this thread got here
            double t = (seconds(before) + seconds(after)) / 2;
            cell.measure(t, celsius, model().lag().toNanos() / 1e9);
            latestC = celsius;
            latestTime = t;
            lastReadAt = after;
            if (learning != null) {
                learning.temperature(t, celsius);
            }
        }
        problems.clear(PROBLEM);
    }

    /**
     * Step compensate-temperature: sets header temperatureC to the latest temperature measured (null when there is
     * none: no sensor, or it fails), and takes the model's correction for the cell's temperature off header weight
     * (unrounded in and out). While learning, the uncompensated weight is recorded.
     */
    public void compensate(Message message) {
        BigDecimal weight = message.getHeader(ScaleHeaders.WEIGHT, BigDecimal.class);
        if (sensor == null || weight == null) {
            return;
        }
        Instant readAt = message.getHeader(Hx711Constants.TIMESTAMP, Instant.class);
        double t = seconds(readAt != null ? readAt : clock.instant());
        TemperatureModel model = model();
        Double measured;
        double cellC = 0;
        synchronized (this) {
            if (learning != null) {
                // the weight before zero tracking: the tracked zero's steps are no change of load
                learning.weight(t, weight.doubleValue() + calibration.zeroShiftKg());
            }
            measured = fresh();
            if (measured != null) {
                cellC = cell.at(t, model.lag().toNanos() / 1e9);
            }
        }
        message.setHeader(ScaleHeaders.TEMPERATURE_C, measured == null ? null : Math.round(measured * 100) / 100.0);
        if (measured != null && model.compensates()) {
            message.setHeader(ScaleHeaders.WEIGHT, weight.subtract(BigDecimal.valueOf(model.correctionKg(cellC))));
        }
    }

    /** The latest temperature, or null when there is none or it is stale (then reported, as the route stopped). */
    private Double fresh() {
        Instant now = clock.instant();
        if (firstAsked == null) {
            firstAsked = now;
        }
        Instant last = lastReadAt != null ? lastReadAt : firstAsked;
        if (now.isAfter(last.plus(staleAfter))) {
            problems.report(PROBLEM, "no temperature read since " + (lastReadAt != null ? lastReadAt : "the start")
                    + ", the weight is not compensated: is the route read-temperature running? (its file is "
                    + "routes/temperature.camel.yaml; a routes folder from an older version lacks it: copy it from "
                    + "the jar's default-routes/)");
            return null;
        }
        return latestC;
    }

    /** The temperature model in use: learned, or configured. */
    public TemperatureModel model() {
        return calibration.temperatureModel();
    }

    /** The model in use, in words: e.g. "0.004 kg/°C, lag 5 s, reference 20 °C (learned)". */
    public String describeModel() {
        TemperatureModel model = model();
        return String.format(Locale.ROOT, "%s kg/°C, lag %s s, reference %s °C (%s)",
                BigDecimal.valueOf(model.zeroDriftKgPerC()).toPlainString(),
                BigDecimal.valueOf(model.lag().toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString(),
                BigDecimal.valueOf(model.referenceC()).stripTrailingZeros().toPlainString(),
                calibration.values().temperature() != null ? "learned" : "scale.temperature.*");
    }

    /** The latest temperature measured, while there is a good one. */
    public synchronized Optional<Double> measuredC() {
        return Optional.ofNullable(sensor == null ? null : fresh());
    }

    /** The cell's temperature now, as the model sees it, while there is a good measurement. */
    public synchronized Optional<Double> cellC() {
        if (sensor == null || fresh() == null) {
            return Optional.empty();
        }
        return Optional.of(cell.at(seconds(clock.instant()), model().lag().toNanos() / 1e9));
    }

    /**
     * Raw counts as they would be without the cell's temperature drift now: what tare and calibration take, so that
     * the compensated weight reads 0 after a tare at any temperature.
     */
    public int withoutDrift(int raw) {
        TemperatureModel model = model();
        Optional<Double> cellNow = cellC();
        if (!model.compensates() || cellNow.isEmpty()) {
            return raw;
        }
        return (int) Math.round(raw - model.correctionKg(cellNow.get()) * calibration.countsPerKg());
    }

    /**
     * Starts learn-temperature: for {@code minutes}, with the load kept as it is, the weight and the temperature are
     * recorded; then the route read-temperature fits the model ({@link #finishLearning}).
     *
     * @return that it started, and until when
     * @throws IllegalArgumentException for minutes out of range
     * @throws IllegalStateException    without a sensor, without a temperature now, or while already learning
     */
    public synchronized String learn(double minutes) {
        if (!(minutes >= TemperatureLearning.SHORTEST_MINUTES && minutes <= TemperatureLearning.LONGEST_MINUTES)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "minutes must be from %s to %.0f (a week), was %s: how long to learn, with the load kept as it is, "
                            + "e.g. {\"command\":\"learn-temperature\",\"minutes\":1440} for a day and a night",
                    TemperatureLearning.SHORTEST_MINUTES, TemperatureLearning.LONGEST_MINUTES, minutes));
        }
        if (sensor == null) {
            throw new IllegalStateException("learn-temperature needs a temperature sensor next to the load cell: set "
                    + "scale.temperature.source to ds18b20 (or simulated, with the simulated sensor)");
        }
        if (learning != null) {
            throw new IllegalStateException("already learning, until " + learning.until()
                    + ": its result comes on the command result topic then");
        }
        if (fresh() == null) {
            throw new IllegalStateException("no temperature to learn from now: "
                    + problems.now().getOrDefault(PROBLEM, "none read yet, try again in a few seconds"));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Duration span = Duration.ofMillis(Math.round(minutes * 60_000));
        learning = new TemperatureLearning(now, span, seconds(now), calibration.values(), model().referenceC());
        // the temperature now starts the record, as the cell starts from it
        learning.temperature(latestTime, latestC);
        String started = String.format(Locale.ROOT, "learning how the weight moves with the temperature over %s "
                + "min, until %s: keep the load on the scale as it is; the model follows on the command result "
                + "topic then", BigDecimal.valueOf(minutes).stripTrailingZeros().toPlainString(), learning.until());
        LOG.info("Scale {}: {}", deviceId, started);
        return started;
    }

    /** Filter learning-time-up of the route read-temperature: a learn-temperature's time is up. */
    public synchronized boolean learningTimeUp() {
        return learning != null && learning.timeUp(seconds(clock.instant()));
    }

    /**
     * Step fit-temperature-model: fits coefficient and lag to what was recorded; applies the model (saved with the
     * calibration) when the fit is good.
     *
     * @return the answer on the command result topic
     */
    public synchronized TemperatureLearned finishLearning() {
        if (learning == null) {
            throw new IllegalStateException("not learning");
        }
        TemperatureLearning ended = learning;
        learning = null;
        TemperatureLearning.Outcome outcome = ended.finish(calibration.values(), toleranceKg, clock.instant(),
                cell.started() ? cell.time() : Double.NaN);
        TemperatureLearned answer = outcome.answer();
        if (outcome.model() != null) {
            try {
                calibration.learnedTemperature(outcome.model());
                if (cell.started() && Double.isFinite(outcome.cellC())) {
                    // the model's own estimate of the cell, not one made with the lag before, which may be far off
                    cell.correctCell(outcome.cellC());
                }
            } catch (RuntimeException e) {
                answer = new TemperatureLearned(answer.command(), false,
                        "the model was learned but cannot be saved, so it is not applied: " + e.getMessage(),
                        answer.timestamp(), answer.from(), answer.until(), answer.zeroDriftKgPerC(),
                        answer.lagSeconds(), answer.referenceC(), answer.rSquared(), answer.residualKg(),
                        answer.temperatureMinC(), answer.temperatureMaxC(), answer.readings());
            }
        }
        lastLearned = answer.reason();
        if (answer.ok()) {
            LOG.info("Scale {}: temperature model {}", deviceId, answer.reason());
        } else {
            LOG.warn("Scale {}: learn-temperature not applied: {}", deviceId, answer.reason());
        }
        return answer;
    }

    /** What learn-temperature does now, or how it ended the last time. */
    public synchronized String learningState() {
        if (learning != null) {
            return learning.progress();
        }
        return lastLearned != null ? lastLearned : "not learned since the start";
    }

    private double seconds(Instant at) {
        return Duration.between(origin, at).toNanos() / 1e9;
    }
}
