package io.github.mqttsscale.scale.web;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The status page at {@code /}.
 *
 * @param history how far back the status page's plot goes
 */
@Validated
@ConfigurationProperties("scale.status-page")
public record StatusPageProperties(@NotNull @DefaultValue("10m") Duration history) {
}
