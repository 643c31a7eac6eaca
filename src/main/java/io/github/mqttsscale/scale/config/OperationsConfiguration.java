package io.github.mqttsscale.scale.config;

import java.time.Clock;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.ScaleApplication;
import io.github.mqttsscale.scale.commands.CommandInbox;
import io.github.mqttsscale.scale.commands.CommandMessages;
import io.github.mqttsscale.scale.health.BrokerHealth;
import io.github.mqttsscale.scale.health.SensorHealth;
import io.github.mqttsscale.scale.health.SensorMetrics;
import io.github.mqttsscale.scale.health.StorageHealth;
import io.github.mqttsscale.scale.homeassistant.HomeAssistantDiscovery;
import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.mqtt.Topics;
import io.github.mqttsscale.scale.operations.ScaleActivity;
import io.github.mqttsscale.scale.operations.ScaleOperations;
import io.github.mqttsscale.scale.operations.WeightHistory;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.LoadCell;
import io.github.mqttsscale.scale.weighing.PublishPolicy;
import io.github.mqttsscale.scale.weighing.SequenceNumbers;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Running the scale: operations (MQTT commands, JMX for Hawtio, the status page), Home Assistant discovery,
 * health and metrics.
 */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    @Bean
    LoadCell loadCell(CamelContext camel) {
        return new LoadCell(camel);
    }

    @Bean
    ScaleOperations scaleOperations(Calibration calibration, LoadCell loadCell, PublishPolicy publishPolicy,
            Optional<Hx711Simulator> simulator, ScaleProperties scale) {
        return new ScaleOperations(calibration, loadCell, publishPolicy, simulator, scale.calibration().minLoadCounts());
    }

    @Bean
    CommandMessages commandMessages() {
        return new CommandMessages();
    }

    @Bean
    CommandInbox commandInbox(BrokerConnection brokerConnection, ScaleProperties scale, ProducerTemplate producerTemplate) {
        return new CommandInbox(brokerConnection, new Topics(scale.deviceId()), producerTemplate);
    }

    @Bean
    HomeAssistantDiscovery homeAssistantDiscovery(ScaleProperties scale, BrokerConnection brokerConnection) {
        String version = ScaleApplication.class.getPackage().getImplementationVersion();
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(scale, version != null ? version : "development");
        if (scale.homeAssistant().discovery()) {
            discovery.register(brokerConnection);
        }
        return discovery;
    }

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
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getManagementStrategy().addEventNotifier(scaleActivity);
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
