package io.github.mqttsscale.scale.weighing;

import java.time.Clock;

import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.storage.Disk;

/** The beans the route YAML calls by name: the sensor, and the weighing steps. */
@Configuration(proxyBeanMethods = false)
public class WeighingConfiguration {

    /**
     * Picked up by the hx711 component (autowired by type); without it (null: no bean) the component reads the GPIO
     * pins. Chosen here as the scale starts, not by a {@code @Conditional}: Spring AOT decides conditions once, on
     * the build machine, which is no Pi.
     */
    @Bean(destroyMethod = "close")
    Hx711Simulator hx711Simulator(ScaleProperties scale, Environment environment) {
        return SensorChoice.simulated(environment) ? SensorChoice.newSimulator(scale) : null;
    }

    /** The HX711 route's consumer, for the operations that need a fresh reading now. */
    @Bean
    LoadCell loadCell(CamelContext camel) {
        return new LoadCell(camel);
    }

    @Bean
    Calibration calibration(ScaleProperties scale, Disk disk) {
        // the configured values are the first run's; tare and calibration live in the data dir from then on
        return new Calibration(new CalibrationValues(scale.calibration().offset(), scale.calibration().countsPerKg()),
                scale.resolutionKg(), new CalibrationFile(scale.dataDir(), disk));
    }

    @Bean
    PublishPolicy publishPolicy(ScaleProperties scale) {
        return new PublishPolicy(scale.publish().minChangeKg(), scale.publish().heartbeat(),
                scale.publish().on() == ScaleProperties.PublishOn.STABLE, Clock.systemUTC());
    }

    @Bean
    StableWeight stableWeight(ScaleProperties scale) {
        return new StableWeight(scale.stable().window(), scale.stable().toleranceKg(), Clock.systemUTC());
    }

    @Bean
    SequenceNumbers sequenceNumbers(ScaleProperties scale, Disk disk) {
        return new SequenceNumbers(scale.dataDir(), disk);
    }

    @Bean
    WeightReports weightReports(ScaleProperties scale, SequenceNumbers sequenceNumbers) {
        return new WeightReports(scale.deviceId(), sequenceNumbers);
    }
}
