package io.github.mqttsscale.scale.outbox;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds of the outbox that keeps readings while the broker is unreachable, and how fast it empties.
 *
 * @param maxReadings most readings kept while the broker is unreachable; beyond it the oldest are dropped (WARN,
 *                    counted)
 * @param maxAge      kept readings that waited longer than this are dropped (WARN, counted); the wait is measured on
 *                    the monotonic clock, so a step of the system clock (NTP setting a Pi's clock) drops nothing
 * @param sendRate    kept readings sent per second once the broker is back; must stay above the rate readings are
 *                    published at, or the outbox never empties (a WARN at start says so)
 */
@Validated
@ConfigurationProperties("scale.outbox")
// @formatter:off
public record OutboxProperties(
        @Min(1) @DefaultValue("100000") int maxReadings,
        @NotNull @DurationMin(minutes = 1, message = "must be 1m or more: a kept reading older than this is dropped, "
                + "so a shorter one drops what an outage of minutes kept; e.g. 7d")
        @DefaultValue("7d") Duration maxAge,
        @Min(1) @DefaultValue("100") int sendRate) {
    // @formatter:on
}
