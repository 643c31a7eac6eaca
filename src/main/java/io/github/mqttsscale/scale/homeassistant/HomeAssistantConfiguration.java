package io.github.mqttsscale.scale.homeassistant;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.mqtt.Topics;
import io.github.mqttsscale.scale.operations.CommandsProperties;
import io.github.mqttsscale.scale.weighing.PublishProperties;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.Scales;

/** Home Assistant MQTT discovery, published on every connect. */
@Configuration(proxyBeanMethods = false)
public class HomeAssistantConfiguration {

    @Bean
    HomeAssistantDiscovery homeAssistantDiscovery(Scales scales, ScaleProperties scale,
            HomeAssistantProperties homeAssistant, PublishProperties publish, CommandsProperties commands,
            BrokerConnection brokerConnection) {
        String version = HomeAssistantDiscovery.class.getPackage().getImplementationVersion();
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(scales, new Topics(scale.deviceId()).status(),
                homeAssistant.prefix(), publish.format(), commands.allowed().contains("tare"),
                version != null ? version : "development");
        if (homeAssistant.discovery()) {
            discovery.register(brokerConnection);
        }
        return discovery;
    }
}
