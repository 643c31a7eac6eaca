package io.github.mqttsscale.scale.mqtt;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The broker connection. TLS is not optional: the URL must be {@code ssl://host:port}, the broker's
 * certificate and host name are always verified.
 *
 * @param url               ssl://host:port, e.g. ssl://<cluster-id>.s1.eu.hivemq.cloud:8883; TLS only; default: none,
 *                          it must be set
 * @param username          broker user name
 * @param password          broker password (prefer the SCALE_MQTT_PASSWORD environment variable)
 * @param ca                PEM (or DER) file of the CAs to trust; when set, ONLY these are trusted; default: the JVM's
 *                          trust store, which verifies HiveMQ Cloud
 * @param clientCert        client certificate, PEM or DER, for brokers that require one
 * @param clientKey         its private key, PEM (PKCS#8, PKCS#1, EC) or DER; mode 600, or for the package's service
 *                          root:mqtts-scale mode 640 (the service reads it, cannot change it)
 * @param clientId          MQTT client id; default: mqtts-scale-<device-id>
 * @param qos               QoS of weight messages: 1 or 2; 0 is refused (the broker would not acknowledge a reading, so
 *                          one lost on the way would count as delivered)
 * @param connectTimeout    connect and publish acknowledgement timeout
 * @param keepAlive         MQTT keep-alive
 * @param reconnectMinDelay first delay between connection attempts
 * @param reconnectMaxDelay longest delay between connection attempts (the delay doubles up to it)
 * @param willDelay         how long the broker waits after a lost connection before it publishes the last will
 *                          (offline), so that a Wi-Fi blip the scale reconnects from within it does not show the scale
 *                          offline (MQTT 5 Will Delay Interval; 0: at once)
 */
@Validated
@ConfigurationProperties("scale.mqtt")
// @formatter:off
public record BrokerProperties(
        @NotBlank(message = "is not set: set scale.mqtt.url (or SCALE_MQTT_URL) to your broker, "
                + "e.g. ssl://<cluster-id>.s1.eu.hivemq.cloud:8883")
        @Pattern(regexp = "ssl://[^:/\\s]+:\\d{1,5}",
                message = "must be ssl://<host>:<port>, e.g. ssl://<cluster-id>.s1.eu.hivemq.cloud:8883 "
                        + "(TLS only; mqtts:// and tcp:// are not accepted)")
        String url,
        String username,
        String password,
        Path ca,
        Path clientCert,
        Path clientKey,
        @NotBlank String clientId,
        @Min(value = 1, message = "must be 1 or 2: at QoS 0 the broker does not acknowledge a reading, so one lost on the "
                + "way would count as delivered and leave the outbox; use 1 (the default)")
        @Max(value = 2, message = "must be 1 or 2 (1 is the default)") @DefaultValue("1") int qos,
        @NotNull
        @DurationMin(seconds = 1, message = "must be 1s or more: 0 would wait for ever on a broker that does not "
                + "answer; e.g. 10s")
        @DurationMax(minutes = 10, message = "must be 10m or less: a longer wait leaves the scale without a broker "
                + "for that long; e.g. 10s")
        @DefaultValue("10s") Duration connectTimeout,
        @NotNull
        @DurationMin(seconds = 1, message = "must be 1s or more: 0 turns MQTT's keep-alive off, and a dead "
                + "connection would go unnoticed; e.g. 30s")
        @DurationMax(seconds = 65535, message = "must be 65535s (18h12m15s) or less, MQTT's largest keep-alive; "
                + "e.g. 30s")
        @DefaultValue("30s") Duration keepAlive,
        @NotNull
        @DurationMin(millis = 100, message = "must be 100ms or more: 0 would try again without a pause; e.g. 1s")
        @DefaultValue("1s") Duration reconnectMinDelay,
        @NotNull @DefaultValue("60s") Duration reconnectMaxDelay,
        @NotNull @DurationMin(seconds = 0, message = "must be 0 or more: how long the broker waits before it publishes "
                + "the last will (offline); e.g. 30s")
        @DurationMax(hours = 1, message = "must be 1h or less: a scale gone for longer must show offline; e.g. 30s")
        @DefaultValue("0s") Duration willDelay) {
    // @formatter:on

    @AssertTrue(message = "port must be between 1 and 65535, e.g. ssl://<host>:8883")
    boolean isPortValid() {
        if (url == null || !url.matches("ssl://[^:/\\s]+:\\d{1,5}")) {
            return true; // the @Pattern message already explains this one
        }
        int port = port();
        return port >= 1 && port <= 65535;
    }

    @AssertTrue(message = "scale.mqtt.reconnect-max-delay must be at least scale.mqtt.reconnect-min-delay")
    boolean isReconnectDelayOrdered() {
        return reconnectMinDelay == null || reconnectMaxDelay == null
                || reconnectMaxDelay.compareTo(reconnectMinDelay) >= 0;
    }

    @AssertTrue(message = "scale.mqtt.client-cert and scale.mqtt.client-key go together: set both or neither")
    boolean isClientCertificateComplete() {
        return (clientCert == null) == (clientKey == null);
    }

    public String host() {
        return url.substring("ssl://".length(), url.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    @Override
    public String toString() {
        // Records print every component; the password must never reach a log line.
        return "BrokerProperties[url=" + url + ", username=" + username + ", password="
                + (password == null ? "unset" : "******")
                + ", ca=" + ca + ", clientCert=" + clientCert + ", clientKey=" + clientKey + ", clientId=" + clientId
                + ", qos=" + qos + "]";
    }
}
