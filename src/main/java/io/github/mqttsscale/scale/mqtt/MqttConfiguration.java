package io.github.mqttsscale.scale.mqtt;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.mqttsscale.scale.weighing.ScaleProperties;

/** The broker connection, shared by every paho-mqtt5 endpoint ({@code camel.component.paho-mqtt5.client}). */
@Configuration(proxyBeanMethods = false)
public class MqttConfiguration {

    @Bean
    SSLSocketFactory mqttSocketFactory(BrokerProperties mqtt) {
        return BrokerTls.socketFactory(new TlsFiles(mqtt.ca(), mqtt.clientCert(), mqtt.clientKey()));
    }

    @Bean
    BrokerConnection brokerConnection(BrokerProperties mqtt, SSLSocketFactory mqttSocketFactory,
            ScaleProperties scale) {
        return new BrokerConnection(mqtt, mqttSocketFactory, new Topics(scale.deviceId()).status());
    }

    @Bean
    MqttClient brokerClient(BrokerConnection brokerConnection) {
        return brokerConnection.client();
    }
}
