package io.github.mqttsscale.scale.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults that depend on the machine, so they cannot be constants on the properties records. They
 * go into the environment (at the lowest precedence) rather than into the records because the route
 * YAML reads them as placeholders too, e.g. {@code {{scale.device-id}}} in the topic.
 */
public class DerivedDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "mqttsScaleDerivedDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(
                "scale.device-id", deviceIdFromHostName(),
                "scale.data-dir", Path.of(System.getProperty("user.home"), ".mqtts-scale").toString(),
                "scale.mqtt.client-id", "mqtts-scale-${scale.device-id}",
                "scale.publish.topic", "scale/${scale.device-id}/weight")));
    }

    /** The host name, reduced to the characters a topic level and a client id may safely hold. */
    static String deviceIdFromHostName() {
        String name = hostName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return name.isEmpty() ? "scale" : name;
    }

    private static String hostName() {
        try {
            Path etcHostname = Path.of("/etc/hostname");
            if (Files.isReadable(etcHostname)) {
                String name = Files.readString(etcHostname).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "scale";
        }
    }
}
