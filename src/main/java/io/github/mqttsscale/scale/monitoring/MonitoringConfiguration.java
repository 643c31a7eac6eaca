package io.github.mqttsscale.scale.monitoring;

import java.time.Clock;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.management.DefaultManagementMBeanAssembler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.weighing.LoadCell;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.SequenceNumbers;

/** Watching the scale: the weight history, what was published, the sensor's meters, and health. */
@Configuration(proxyBeanMethods = false)
public class MonitoringConfiguration {

    @Bean
    WeightHistory weightHistory(ScaleProperties scale) {
        return new WeightHistory(scale.statusPage().history(), Clock.systemUTC());
    }

    @Bean
    ScaleActivity scaleActivity(WeightHistory weightHistory, MeterRegistry meterRegistry) {
        return new ScaleActivity(weightHistory, meterRegistry);
    }

    /** Camel decides at start whether exchanges raise events at all: the notifier must be there before. */
    @Bean
    CamelContextConfiguration scaleActivityNotifier(ScaleActivity scaleActivity) {
        return beforeStart(camel -> camel.getManagementStrategy().addEventNotifier(scaleActivity));
    }

    /**
     * Camel's own MBean assembler instead of camel-spring's, set before the routes' MBeans exist: camel-spring's
     * registers the MBean of a {@code bean:} step whose bean is a Spring {@code @ManagedResource} (ScaleOperations,
     * Outbox) as that bean, without the step's statistics, and Hawtio's route diagram then lost every count
     * ({@code dumpRoutesStatsAsXml} failed). Spring still exports those beans as MBeans of their own.
     */
    @Bean
    CamelContextConfiguration stepStatisticsForHawtio() {
        return beforeStart(camel -> camel.getCamelContextExtension()
                .setManagementMBeanAssembler(new DefaultManagementMBeanAssembler(camel)));
    }

    private static CamelContextConfiguration beforeStart(Consumer<CamelContext> configure) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                configure.accept(camel);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing
            }
        };
    }

    @Bean
    SensorMetrics sensorMetrics(LoadCell loadCell, WeightHistory weightHistory) {
        return new SensorMetrics(loadCell, weightHistory);
    }

    @Bean
    SensorHealth sensorHealthIndicator(LoadCell loadCell) {
        return new SensorHealth(loadCell);
    }

    @Bean
    BrokerHealth brokerHealthIndicator(BrokerConnection brokerConnection) {
        return new BrokerHealth(brokerConnection);
    }

    @Bean
    StorageHealth storageHealthIndicator(SequenceNumbers sequenceNumbers, Outbox outbox) {
        return new StorageHealth(sequenceNumbers, outbox);
    }
}
