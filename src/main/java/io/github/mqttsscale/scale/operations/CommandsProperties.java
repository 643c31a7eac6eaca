package io.github.mqttsscale.scale.operations;

import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What may be done over MQTT: anyone who may publish on the command topic (a broker's ACL often allows a whole
 * household) can send these. Hawtio and the status page, behind the web login, are not limited by it.
 *
 * @param allowed the MQTT commands this scale runs; calibrate-force stands for calibrate with "force": true (another
 *                load cell), left out by default
 */
@Validated
@ConfigurationProperties("scale.commands")
public record CommandsProperties(@NotNull @DefaultValue( {
        "tare", "calibrate", "calibration", "publish",
        "learn-temperature", "resend-refused", "simulate-load"}) List<String> allowed){
}
