package io.github.mqttsscale.scale.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * A login of its own for the metrics scraper (Prometheus, Grafana Agent): it may read {@code /actuator/prometheus}
 * and nothing else, so the credential kept in a scraper's configuration cannot tare, calibrate or run operations.
 *
 * @param user     its user name
 * @param password its password ({bcrypt}... for a hashed one); default: not set, no metrics login (the scraper logs
 *                 in as the web user)
 */
@Validated
@ConfigurationProperties("scale.metrics-login")
public record MetricsLogin(@DefaultValue("metrics") String user, String password) {

    @Override
    public String toString() {
        return "MetricsLogin[user=" + user + ", password=" + (password == null ? "unset" : "******") + "]";
    }
}
