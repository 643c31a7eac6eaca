package io.github.mqttsscale.scale.outbox;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Bounds of the outbox that keeps readings while the broker is unreachable, and how fast it empties. */
@Validated
@ConfigurationProperties("scale.outbox")
public record OutboxProperties(
        @Min(1) @DefaultValue("100000") int maxReadings,
        @NotNull @DefaultValue("7d") Duration maxAge,
        @Min(1) @DefaultValue("100") int sendRate) {
}
