package io.github.mqttsscale.scale;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.boot.DefaultPropertiesPropertySource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.weighing.ScaleProperties;

/**
 * Puts every {@code scale.*} default into the environment, at the lowest precedence, so that the route
 * YAML's placeholders (e.g. {@code {{scale.hx711.data-pin}}}) see the same defaults as the properties
 * records, which stay the one place where they are written. Also the defaults that depend on the
 * machine (device id from the host name, data dir in the home directory) or on other settings.
 * Durations are given in milliseconds, the one form both Spring and Camel read alike.
 */
public class DerivedDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "mqttsScaleDefaults";
    static final String LISTED_SCALES_SOURCE_NAME = "mqttsScaleListedScales";
    static final String OLD_NAMES_SOURCE_NAME = "mqttsScaleOldSettingNames";
    /** Where the configuration processor lists every settings record of the scale, with its prefix. */
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    /** The sections a scale of scale.scales takes from scale.* where it leaves them out. */
    private static final List<String> INHERITED_SECTIONS = Arrays.stream(ScaleProperties.Listed.class
            .getRecordComponents()).map(RecordComponent::getName).filter(name -> !name.equals("deviceId"))
            .map(DerivedDefaults::kebabCase).toList();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder configured = Binder.get(environment);
        // scale.resolution-kg is the old name of scale.division-kg: both rounded the weight
        if (!configured.bind("scale.division-kg", String.class).isBound()) {
            configured.bind("scale.resolution-kg", String.class).ifBound(oldName -> environment.getPropertySources()
                    .addFirst(new MapPropertySource(OLD_NAMES_SOURCE_NAME, Map.of("scale.division-kg", oldName))));
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("scale.device-id", deviceIdFromHostName());
        defaults.put("scale.data-dir", Path.of(System.getProperty("user.home"), ".mqtts-scale").toString());
        defaults.put("scale.routes-dir", "routes");
        defaults.put("scale.publish.topic", "scale/${scale.device-id}/weight");
        defaults.put("scale.mqtt.client-id", "mqtts-scale-${scale.device-id}");
        Binder nothingConfigured = new Binder(new MapConfigurationPropertySource());
        Set<String> settings = new LinkedHashSet<>();
        settingsRecords().forEach((prefix, type) -> flatten(prefix,
                (Record) nothingConfigured.bindOrCreate(prefix, type), defaults, settings));
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
        // defaults set in code through SpringApplication still win over these
        DefaultPropertiesPropertySource.moveToEnd(environment);
        Map<String, Object> scales = listedScalesInheriting(Binder.get(environment), settings);
        if (!scales.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource(LISTED_SCALES_SOURCE_NAME, scales));
        }
    }

    /**
     * Each entry of scale.scales, with the settings it leaves out taken from the same setting under scale.* (e.g.
     * scale.hx711.*, scale.division-kg), setting by setting. Spring binds a list from the one property source that holds it, so the
     * entries are written out whole, from every source, into one that comes first.
     */
    private static Map<String, Object> listedScalesInheriting(Binder configured, Set<String> settings) {
        Map<String, Object> scales = new LinkedHashMap<>();
        for (int i = 0; configured.bind("scale.scales[" + i + "]", Bindable.mapOf(String.class, Object.class))
                .isBound(); i++) {
            String entry = "scale.scales[" + i + "]";
            configured.bind(entry + ".device-id", String.class).ifBound(id -> scales.put(entry + ".device-id", id));
            for (String inherited : settings) {
                for (String section : INHERITED_SECTIONS) {
                    if (inherited.equals("scale." + section) || inherited.startsWith("scale." + section + ".")) {
                        String key = entry + inherited.substring("scale".length());
                        String value = configured.bind(key, String.class)
                                .orElseGet(() -> configured.bind(inherited, String.class).orElse(null));
                        if (value != null) { // a setting without a default (scale.capacity-kg) may be unset
                            scales.put(key, value);
                        }
                    }
                }
            }
        }
        return scales;
    }

    /**
     * The scale's settings records by prefix, as the configuration processor listed them at build time: a record of a
     * new feature is found without being named here.
     */
    public static Map<String, Class<?>> settingsRecords() {
        Map<String, Class<?>> records = new TreeMap<>();
        String ours = DerivedDefaults.class.getPackageName() + ".";
        try {
            // every jar of Spring has such a file: the scale's records are those of its own package
            for (URL url : Collections.list(DerivedDefaults.class.getClassLoader().getResources(METADATA))) {
                try (InputStream metadata = url.openStream()) {
                    for (JsonNode group : new ObjectMapper().readTree(metadata).path("groups")) {
                        String type = group.path("type").asText();
                        if (type.startsWith(ours) && !group.has("sourceMethod")) {
                            records.put(group.path("name").asText(), Class.forName(type));
                        }
                    }
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("Cannot read the settings' defaults from " + METADATA, e);
        }
        if (!records.containsKey("scale")) {
            throw new IllegalStateException(METADATA + " lists no scale settings: build with "
                    + "spring-boot-configuration-processor");
        }
        return records;
    }

    /** Puts the defaults of these settings into {@code into}, and the names of all of them into {@code names}. */
    private static void flatten(String prefix, Record settings, Map<String, Object> into, Set<String> names) {
        for (RecordComponent component : settings.getClass().getRecordComponents()) {
            String key = prefix + "." + kebabCase(component.getName());
            Object value;
            try {
                value = component.getAccessor().invoke(settings);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read default " + key, e);
            }
            if (value instanceof Record nested) {
                flatten(key, nested, into, names);
            } else if (!(value instanceof Collection<?>)) {
                names.add(key);
                if (value != null) {
                    into.putIfAbsent(key, text(value));
                }
            }
        }
    }

    private static String text(Object value) {
        if (value instanceof Duration duration) {
            return Long.toString(duration.toMillis());
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    private static String kebabCase(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
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
