package io.github.mqttsscale.scale.monitoring;

import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ModelToXMLDumper;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.management.DefaultManagementMBeanAssembler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.outbox.RefusedReadings;
import io.github.mqttsscale.scale.weighing.Scales;

/** Watching the scale: what was read and published, the sensor's meters, and health. */
@Configuration(proxyBeanMethods = false)
public class MonitoringConfiguration {

    @Bean
    ScaleActivity scaleActivity(Scales scales, MeterRegistry meterRegistry) {
        return new ScaleActivity(scales, meterRegistry);
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

    /** Hawtio's Source view and diagram get each step's id as it runs (see {@link StepIdsAsRun}). */
    @Bean
    CamelContextConfiguration stepIdsAsRun() {
        return beforeStart(camel -> camel.getCamelContextExtension().addContextPlugin(ModelToXMLDumper.class,
                new StepIdsAsRun(PluginHelper.getModelToXMLDumper(camel))));
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
    SensorMetrics sensorMetrics(Scales scales, ScaleActivity scaleActivity) {
        return new SensorMetrics(scales, scaleActivity);
    }

    @Bean(destroyMethod = "close")
    SensorStatus sensorStatus(Scales scales, BrokerConnection brokerConnection) {
        return new SensorStatus(scales, brokerConnection);
    }

    @Bean
    SensorHealth sensorHealthIndicator(Scales scales) {
        return new SensorHealth(scales);
    }

    @Bean
    RoutesHealth routesHealthIndicator(ObjectProvider<CamelContext> camel, Scales scales) {
        return new RoutesHealth(camel::getObject, scales);
    }

    @Bean
    BrokerHealth brokerHealthIndicator(BrokerConnection brokerConnection) {
        return new BrokerHealth(brokerConnection);
    }

    @Bean
    OutboxHealth outboxHealthIndicator(Outbox outbox, RefusedReadings refusedReadings) {
        return new OutboxHealth(outbox, refusedReadings);
    }

    @Bean
    StorageHealth storageHealthIndicator(Scales scales, Outbox outbox) {
        return new StorageHealth(scales.all().stream()
                .flatMap(scale -> Stream.of(scale.sequenceNumbers(), scale.eventSequenceNumbers()))
                .toList(), outbox);
    }
}
