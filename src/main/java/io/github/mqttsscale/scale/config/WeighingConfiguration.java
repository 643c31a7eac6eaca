package io.github.mqttsscale.scale.config;

import java.time.Clock;
import java.time.Duration;

import org.apache.camel.util.TimeUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.CalibrationFile;
import io.github.mqttsscale.scale.weighing.CalibrationValues;
import io.github.mqttsscale.scale.weighing.PublishPolicy;
import io.github.mqttsscale.scale.weighing.SequenceNumbers;
import io.github.mqttsscale.scale.weighing.WeightReports;

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

    /** Before Camel loads the routes (after all singletons exist), make sure there are routes to load. */
    @Bean
    RoutesFolder routesFolder(ScaleProperties scale, Environment environment) {
        requireCamelReadsAlike(environment, "scale.sample-interval", scale.sampleInterval());
        return new RoutesFolder(scale.routesDir());
    }

    /**
     * The route hands durations to Camel as written, and Camel reads "PT1S" as 0 ms (it knows 500ms,
     * 2s, 1m30s): refuse a form the two would read differently rather than poll without pause.
     */
    private static void requireCamelReadsAlike(Environment environment, String property, Duration bound) {
        String written = environment.getProperty(property);
        if (written != null && TimeUtils.toMilliSeconds(written) != bound.toMillis()) {
            throw new IllegalStateException(property + "=" + written + " cannot be used in the route: write it as "
                    + bound.toMillis() + "ms (or e.g. 500ms, 2s, 1m)");
        }
    }

    /** Every change to scale.data-dir goes through it: one bean, so that a test can make the directory read-only. */
    @Bean
    Disk dataDirectoryDisk() {
        return Disk.REAL;
    }

    @Bean
    Calibration calibration(ScaleProperties scale, Disk disk) {
        // the configured values are the first run's; tare and calibration live in the data dir from then on
        return new Calibration(new CalibrationValues(scale.calibration().offset(), scale.calibration().countsPerKg()),
                scale.resolutionKg(), new CalibrationFile(scale.dataDir(), disk));
    }

    @Bean
    PublishPolicy publishPolicy(ScaleProperties scale) {
        return new PublishPolicy(scale.publish().minChangeKg(), scale.publish().heartbeat(), Clock.systemUTC());
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
