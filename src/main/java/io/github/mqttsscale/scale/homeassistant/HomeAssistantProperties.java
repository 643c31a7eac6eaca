package io.github.mqttsscale.scale.homeassistant;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Home Assistant MQTT discovery: retained configs of each scale's entities under
 * {@code <prefix>/<component>/<device-id>/<object>/config} (HomeAssistantDiscovery).
 *
 * @param discovery publish the Home Assistant discovery config on every connect; false turns it off
 * @param prefix    Home Assistant's discovery prefix
 */
@Validated
@ConfigurationProperties("scale.home-assistant")
// @formatter:off
public record HomeAssistantProperties(@DefaultValue("true") boolean discovery,
        @NotBlank @DefaultValue("homeassistant") String prefix) {
    // @formatter:on
}
