package io.github.mqttsscale.scale.homeassistant;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.Scales;

/** Home Assistant MQTT discovery, published on every connect. */
@Configuration(proxyBeanMethods = false)
public class HomeAssistantConfiguration {

    @Bean
    HomeAssistantDiscovery homeAssistantDiscovery(Scales scales, ScaleProperties scale,
            BrokerConnection brokerConnection) {
        String version = HomeAssistantDiscovery.class.getPackage().getImplementationVersion();
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(scales, scale,
                version != null ? version : "development");
        if (scale.homeAssistant().discovery()) {
            discovery.register(brokerConnection);
        }
        return discovery;
    }
}
