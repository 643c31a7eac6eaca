package io.github.mqttsscale.scale.operations;

import java.util.Optional;

import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.mqtt.Topics;
import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.LoadCell;
import io.github.mqttsscale.scale.weighing.PublishPolicy;
import io.github.mqttsscale.scale.weighing.ScaleProperties;

/** The scale's operations (tare, calibrate, publish now) and the MQTT commands that call them. */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    @Bean
    ScaleOperations scaleOperations(Calibration calibration, LoadCell loadCell, PublishPolicy publishPolicy,
            Optional<Hx711Simulator> simulator, ScaleProperties scale, BrokerConnection brokerConnection) {
        return new ScaleOperations(calibration, loadCell, publishPolicy, simulator, scale.calibration().minLoadCounts(),
                brokerConnection::isConnected);
    }

    @Bean
    CommandMessages commandMessages() {
        return new CommandMessages();
    }

    @Bean
    CommandInbox commandInbox(BrokerConnection brokerConnection, ScaleProperties scale,
            ProducerTemplate producerTemplate) {
        return new CommandInbox(brokerConnection, new Topics(scale.deviceId()), producerTemplate);
    }
}
