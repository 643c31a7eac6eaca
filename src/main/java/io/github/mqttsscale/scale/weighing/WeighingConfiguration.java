package io.github.mqttsscale.scale.weighing;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.github.mqttsscale.hx711.Hx711Chips;
import io.github.mqttsscale.hx711.Hx711Settings;
import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.storage.Disk;

/** The scales, each with the beans its route calls by name: the sensor, and the weighing steps. */
@Configuration(proxyBeanMethods = false)
public class WeighingConfiguration {

    /**
     * Simulated or real sensors are chosen here as the scale starts, not by a {@code @Conditional}: Spring AOT decides
     * conditions once, on the build machine, which is no Pi.
     */
    @Bean(destroyMethod = "close")
    Scales scales(ScaleProperties scale, PublishProperties publish, Environment environment,
            ObjectProvider<CamelContext> camel, Disk disk) {
        boolean simulated = SensorChoice.simulated(environment);
        ClockSync clockSync = new ClockSync();
        return new Scales(scale.weighed().stream().map(listed -> {
            ScaleProperties own = scale.onlyScale(listed.deviceId());
            String routeIdSuffix = scale.several() ? "-" + listed.deviceId() : "";
            // the configured values are the first run's; tare and calibration live in the data dir from then on
            Calibration calibration = new Calibration(own.calibration().values(), own.temperature().model(),
                    new CalibrationFile(own.dataDir(), disk));
            SequenceNumbers sequenceNumbers = new SequenceNumbers(own.dataDir(), disk);
            LoadCell loadCell = new LoadCell(camel::getObject, Scale.ROUTE_TEMPLATE + routeIdSuffix);
            ScaleProblems problems = new ScaleProblems(listed.deviceId());
            problems.watch("saturated", loadCell::saturation);
            problems.watch("rate", loadCell::rateMismatch);
            problems.watch("too-slow-for-gpio", loadCell::tooSlowForGpio);
            // a damaged calibration file does not stop the start: this scale weighs nothing until calibrated again,
            // says so (logged now, once), and the other scales go on
            problems.watch("calibration", calibration::damage);
            problems.now();
            Optional<Hx711Simulator> simulator = simulated
                    ? Optional.of(own.simulator().newSimulator(own.hx711()))
                    : Optional.empty();
            ScaleTemperature temperature = new ScaleTemperature(listed.deviceId(),
                    ScaleTemperature.sensor(own.temperature(), simulator), own.temperature().readInterval(),
                    calibration, problems, own.stable().toleranceKg().max(own.divisionKg()).doubleValue(),
                    Clock.systemUTC());
            return new Scale(listed.deviceId(), routeIdSuffix, own,
                    scale.several() ? "scale/" + listed.deviceId() + "/weight" : publish.topic(), calibration,
                    new StableWeight(own.stable().window(), own.stable().toleranceKg(), Clock.systemUTC()),
                    new PublishPolicy(publish.minChangeKg(), publish.heartbeat(),
                            publish.on() == PublishProperties.PublishOn.STABLE, Clock.systemUTC()),
                    sequenceNumbers, new WeightReports(listed.deviceId(), sequenceNumbers, clockSync),
                    new SequenceNumbers(own.dataDir(), SequenceNumbers.EVENTS, "the weight events' seq", disk),
                    loadCell, simulator, problems, temperature);
        }).toList());
    }

    /**
     * Picked up by the hx711 component (autowired by type): each scale's endpoint, hx711:&lt;device-id&gt;, reads its
     * HX711 with the scale's settings, and its simulated HX711, or the GPIO pins when there is none.
     */
    @Bean
    Hx711Chips hx711Chips(Scales scales) {
        return new Hx711Chips() {
            @Override
            public Optional<Hx711Settings> settings(String endpointName) {
                return scales.find(endpointName).map(scale -> scale.settings().hx711().driverSettings());
            }

            @Override
            public Optional<Hx711Simulator> simulator(String endpointName) {
                return scales.find(endpointName).flatMap(Scale::simulator);
            }

            @Override
            public Duration tooSlowWindow(String endpointName) {
                return scales.find(endpointName).map(scale -> scale.settings().hx711().tooSlowAfter())
                        .orElseGet(() -> Hx711Chips.super.tooSlowWindow(endpointName));
            }
        };
    }
}
