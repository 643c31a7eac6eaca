package io.github.mqttsscale.scale.operations;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jmx.export.MBeanExporter;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/** The scale's operations (tare, calibrate, publish now) and the MQTT commands that call them. */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    /**
     * Each scale's operations, also as an MBean (when JMX is on): {@value ScaleOperations#OBJECT_NAME}, with several scales
     * {@code ...,scale=<device-id>} each.
     */
    @Bean
    Operations operations(Scales scales, BrokerConnection brokerConnection, ObjectProvider<MBeanExporter> jmx) {
        Map<Scale, ScaleOperations> operations = new LinkedHashMap<>();
        for (Scale scale : scales.all()) {
            ScaleOperations scaleOperations = new ScaleOperations(scale.calibration(), scale.loadCell(),
                    scale.publishPolicy(), scale.simulator(), scale.settings().calibration().minLoadCounts(),
                    brokerConnection::isConnected, scale.temperature());
            jmx.ifAvailable(exporter -> exporter.registerManagedResource(scaleOperations, objectName(scales, scale)));
            operations.put(scale, scaleOperations);
        }
        return new Operations(operations);
    }

    private static ObjectName objectName(Scales scales, Scale scale) {
        try {
            return new ObjectName(scales.several()
                    ? ScaleOperations.OBJECT_NAME + ",scale=" + scale.deviceId()
                    : ScaleOperations.OBJECT_NAME);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Bean
    CommandMessages commandMessages(CommandsProperties commands) {
        return new CommandMessages(commands.allowed());
    }

    @Bean
    CommandInbox commandInbox(BrokerConnection brokerConnection, Scales scales, ProducerTemplate producerTemplate) {
        return new CommandInbox(brokerConnection, scales, producerTemplate);
    }
}
