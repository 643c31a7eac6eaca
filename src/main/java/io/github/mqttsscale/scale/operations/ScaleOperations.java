package io.github.mqttsscale.scale.operations;

import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.CalibrationValues;
import io.github.mqttsscale.scale.weighing.FreshReading;
import io.github.mqttsscale.scale.weighing.PublishPolicy;
import io.github.mqttsscale.scale.weighing.ScaleTemperature;
import io.github.mqttsscale.scale.weighing.TemperatureModel;

/**
 * What an operator can do to the running scale, the same from MQTT commands, Hawtio (this bean is an MBean)
 * and the status page. Each operation returns what it did, or throws an exception whose message says why not.
 */
@ManagedResource(objectName = ScaleOperations.OBJECT_NAME,
        description = "Tare, calibrate and publish the scale, and learn its temperature model")
public class ScaleOperations {

    public static final String OBJECT_NAME = "io.github.mqttsscale:type=ScaleOperations";

    private static final Logger LOG = LoggerFactory.getLogger(ScaleOperations.class);

    private final Calibration calibration;
    private final FreshReading loadCell;
    private final PublishPolicy publishPolicy;
    private final Optional<Hx711Simulator> simulator;
    private final int minLoadCounts;
    private final BooleanSupplier brokerConnected;
    private final ScaleTemperature temperature;
    private final SaveThrottle throttle = new SaveThrottle();

    public ScaleOperations(Calibration calibration, FreshReading loadCell, PublishPolicy publishPolicy,
            Optional<Hx711Simulator> simulator, int minLoadCounts, BooleanSupplier brokerConnected,
            ScaleTemperature temperature) {
        this.calibration = calibration;
        this.loadCell = loadCell;
        this.publishPolicy = publishPolicy;
        this.simulator = simulator;
        this.minLoadCounts = minLoadCounts;
        this.brokerConnected = brokerConnected;
        this.temperature = temperature;
    }

    @ManagedOperation(description = "The load on the scale now becomes zero (a fresh median reading)")
    public String tare() {
        return refusingWithReason(() -> {
            throttle.acquire("tare");
            // the zero is set where the compensated weight reads 0, whatever the cell's temperature now
            CalibrationValues values = calibration.tare(temperature.withoutDrift(loadCell.raw()));
            publishPolicy.forceNext();
            return log(String.format(Locale.ROOT, "tared: zero is now %d counts", values.offset())
                    + (calibration.trusted()
                            ? ""
                            : "; now calibrate with a known weight: until then the scale has no calibration to "
                                    + "trust and publishes no weight (nothing is saved before)"));
        });
    }

    @ManagedOperation(
            description = "With a known weight on the tared scale, sets the counts per kg from a fresh median reading")
    @ManagedOperationParameter(name = "knownWeightKg", description = "the weight on the scale, in kg (0.001 to 5000)")
    public String calibrate(Double knownWeightKg) {
        return calibrate(knownWeightKg, false, false);
    }

    @ManagedOperation(description = "With one more known weight on the tared scale, adds it to the calibration "
            + "(piecewise linear between the known weights, for a load cell that is not linear)")
    @ManagedOperationParameter(name = "knownWeightKg", description = "the weight on the scale, in kg (0.001 to 5000)")
    public String addCalibrationPoint(Double knownWeightKg) {
        return calibrate(knownWeightKg, false, true);
    }

    /**
     * As {@link #calibrate(Double)}; with {@code force}, also a result more than
     * {@link Calibration#MAX_CHANGE_FACTOR} times off the current counts per kg (another load cell); with {@code add},
     * the known weight is added to those of the calibration instead of replacing them. Not an MBean operation: the
     * MQTT command's {@code "force": true} and {@code "add": true}.
     */
    public String calibrate(Double knownWeightKg, Boolean force, Boolean add) {
        return refusingWithReason(() -> {
            if (knownWeightKg == null) {
                throw new IllegalArgumentException("knownWeightKg is missing: give the weight on the scale in kg, "
                        + "e.g. {\"command\":\"calibrate\",\"knownWeightKg\":2.0}");
            }
            Calibration.checkKnownWeight(knownWeightKg); // refused before the sensor is read
            throttle.acquire("calibrate");
            CalibrationValues values = calibration.calibrate(temperature.withoutDrift(loadCell.raw()), knownWeightKg,
                    minLoadCounts, Boolean.TRUE.equals(force), Boolean.TRUE.equals(add));
            publishPolicy.forceNext();
            return log(values.points().size() == 1
                    ? String.format(Locale.ROOT, "calibrated with %s kg: %.2f counts per kg", knownWeightKg,
                            values.countsPerKg())
                    : String.format(Locale.ROOT, "added %s kg to the calibration: %s", knownWeightKg,
                            describe(values)));
        });
    }

    @ManagedOperation(description = "Publishes the next reading whatever it weighs")
    public String publish() {
        publishPolicy.forceNext();
        return brokerConnected.getAsBoolean()
                ? "the next reading is published"
                : "the broker is not connected: the next reading is kept in the outbox and published once it is back";
    }

    @ManagedOperation(description = "Simulated sensor only: puts this load on the simulated load cell")
    @ManagedOperationParameter(name = "kg", description = "the simulated load in kg")
    public String simulateLoad(Double kg) {
        return refusingWithReason(() -> {
            Hx711Simulator simulated = simulator.orElseThrow(() -> new IllegalStateException(
                    "simulate-load works only with the simulated sensor (scale.sensor=simulated)"));
            if (kg == null || !Double.isFinite(kg)) {
                throw new IllegalArgumentException("kg is missing: e.g. {\"command\":\"simulate-load\",\"kg\":6.5}");
            }
            simulated.setLoadKg(kg);
            return log("simulated load is now " + kg + " kg");
        });
    }

    @ManagedOperation(description = "With the load kept as it is, learns over these minutes how the weight moves with "
            + "the temperature; the model (applied when the fit is good) or why not comes on the command result topic")
    @ManagedOperationParameter(name = "minutes",
            description = "how long to learn (0.1 to 10080; the temperature must move at least 2 °C meanwhile)")
    public String learnTemperature(Double minutes) {
        return refusingWithReason(() -> {
            if (minutes == null) {
                throw new IllegalArgumentException("minutes is missing: how long to learn, with the load kept as it "
                        + "is, e.g. {\"command\":\"learn-temperature\",\"minutes\":1440} for a day and a night");
            }
            return temperature.learn(minutes);
        });
    }

    @ManagedAttribute(description = "What learn-temperature does now, or how it ended the last time")
    public String getTemperatureLearning() {
        return temperature.learningState();
    }

    @ManagedAttribute(description = "The calibration: zero, the known weights, zero tracking's shift, the temperature "
            + "model")
    public String getCalibration() {
        return describe(calibration.values()) + String.format(Locale.ROOT, "; temperature %s",
                describe(calibration.temperatureModel(), calibration.values().temperature() != null));
    }

    /** The MQTT command {@code calibration}: what {@link #getCalibration()} says. */
    public String tellCalibration() {
        return getCalibration();
    }

    private static String describe(CalibrationValues values) {
        return String.format(Locale.ROOT, "zero at %d counts; known weights: %s; zero shift %.4f kg", values.offset(),
                values.points().stream()
                        .map(point -> String.format(Locale.ROOT, "%s kg at %.0f counts above zero", point.kg(),
                                point.counts()))
                        .collect(Collectors.joining(", ")),
                values.zeroShiftKg());
    }

    private static String describe(TemperatureModel model, boolean learned) {
        return model.compensates()
                ? String.format(Locale.ROOT, "%.5f kg/°C, lag %.1f s, reference %s °C (%s)", model.zeroDriftKgPerC(),
                        model.lag().toMillis() / 1000.0, model.referenceC(), learned ? "learned" : "configured")
                : "not compensated";
    }

    @ManagedAttribute(description = "Raw counts with nothing on the scale")
    public int getOffset() {
        return calibration.offset();
    }

    @ManagedAttribute(description = "Counts one kilogram adds")
    public double getCountsPerKg() {
        return calibration.countsPerKg();
    }

    private static String refusingWithReason(Supplier<String> operation) {
        try {
            return operation.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new OperationRefusedException(e.getMessage(), e);
        }
    }

    private static String log(String done) {
        LOG.info("Scale {}", done);
        return done;
    }
}
