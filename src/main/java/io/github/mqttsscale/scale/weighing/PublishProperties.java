package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.time.Duration;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When and how weights are published: on a change of at least minChangeKg (or once settled there), and at least every
 * heartbeat.
 *
 * @param topic       where weights go (the original scale used scale/value; with several scales, each uses
 *                    scale/<its device-id>/weight); default: scale/<device-id>/weight
 * @param minChangeKg publish when the weight moved at least this much
 * @param heartbeat   publish at least this often, even if nothing changed
 * @param format      json (the reading as JSON) or plain (the original's decimal string)
 * @param on          change: when the weight moved by min-change-kg; stable: once it settled at a value that far from
 *                    the last published one (see scale.stable.*); both also at the heartbeat, and once when the weight
 *                    settled after a published one that had not
 */
@Validated
@ConfigurationProperties("scale.publish")
// @formatter:off
public record PublishProperties(
        @NotBlank
        @Pattern(regexp = "[^+#{}\\x00]+", message = "may not hold the wildcards + or #, nor {{...}}: it is the one "
                + "topic the weights are published on, e.g. scale/kitchen-1/weight")
        @Pattern(regexp = "[^$].*", message = "may not start with $: such topics belong to the broker; e.g. "
                + "scale/kitchen-1/weight")
        @Size(max = 1000, message = "is too long: keep it to a few levels, e.g. scale/kitchen-1/weight")
        String topic,
        @NotNull @DecimalMin("0") @DefaultValue("0.01") BigDecimal minChangeKg,
        @NotNull @DurationMin(millis = 100, message = "must be 100ms or more: it is how often an unchanged weight is "
                + "published again, e.g. 60s")
        @DefaultValue("60s") Duration heartbeat,
        @NotNull @DefaultValue("json") PayloadFormat format,
        @NotNull @DefaultValue("change") PublishOn on) {
    // @formatter:on

    /** When a weight is published. */
    public enum PublishOn {
        /** When it moved by at least min-change-kg (and at the heartbeat). */
        CHANGE,
        /** Once it settled at a value at least min-change-kg from the last published one (and at the heartbeat). */
        STABLE
    }

    public enum PayloadFormat {
        /** {@code {"deviceId":..,"weight":..,"unit":"kg","timestamp":..,"seq":..,"raw":..}} */
        JSON,
        /** The original ESP32 scale's payload: the weight in kg as a plain decimal string. */
        PLAIN
    }
}
