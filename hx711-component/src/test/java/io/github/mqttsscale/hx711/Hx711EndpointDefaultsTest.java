package io.github.mqttsscale.hx711;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.camel.spi.UriParam;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

/**
 * The defaults an endpoint's options document (its annotations, and the component JSON generated from them for
 * tooling and docs) are the ones it applies, which come from {@link Hx711Settings#defaults()} alone.
 */
class Hx711EndpointDefaultsTest {

    private static final String COMPONENT_JSON = "/META-INF/io/github/mqttsscale/hx711/hx711.json";

    @Test
    void theDocumentedDefaultOfEveryChipOptionIsTheSettingsDefault() throws Exception {
        Map<String, Object> applied = appliedDefaults();
        JsonObject options = componentJson().getMap("properties");

        assertEquals(chipOptions(), new TreeSet<>(applied.keySet()), "every chip option of the endpoint is checked");
        for (Map.Entry<String, Object> option : applied.entrySet()) {
            JsonObject documented = options.getMap(option.getKey());
            assertNotNull(documented, option.getKey() + " in " + COMPONENT_JSON);
            assertEquals(String.valueOf(option.getValue()), String.valueOf(documented.get("defaultValue")),
                    option.getKey());
        }
    }

    @Test
    void anEndpointWithoutOptionsOrChipsHasTheDefaultSettings() {
        Hx711Component component = new Hx711Component();
        component.setCamelContext(new org.apache.camel.impl.DefaultCamelContext());

        assertEquals(Hx711Settings.defaults(), new Hx711Endpoint("hx711:scale", component, "scale").settings());
    }

    /** What the endpoint applies for each option its URI leaves out, written as the option is. */
    private static Map<String, Object> appliedDefaults() {
        Hx711Settings defaults = Hx711Settings.defaults();
        Hx711Wiring.Gpio gpio = (Hx711Wiring.Gpio) defaults.wiring();
        Hx711Wiring.Spi spi = Hx711Wiring.Spi.defaults();
        return Map.ofEntries(entry("wiring", "gpio"), entry("dataPin", gpio.dataPin()),
                entry("clockPin", gpio.clockPin()), entry("gain", defaults.gain().gain()),
                entry("samples", defaults.samples()), entry("combine", defaults.combine().optionValue()),
                entry("rate", defaults.rate()), entry("readyTimeout", defaults.readyTimeout().toMillis()),
                entry("clockHighLimit", defaults.clockHighLimit().toNanos() / 1000),
                entry("settlingTime", defaults.settlingTime().toMillis()), entry("spiBus", spi.bus()),
                entry("spiChipSelect", spi.chipSelect()), entry("spiSpeed", spi.speedHz()));
    }

    private static Set<String> chipOptions() {
        return Arrays.stream(Hx711Endpoint.class.getDeclaredFields()).filter(f -> f.isAnnotationPresent(UriParam.class))
                .map(Field::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonObject componentJson() throws Exception {
        try (InputStream in = Hx711Endpoint.class.getResourceAsStream(COMPONENT_JSON)) {
            assertNotNull(in, COMPONENT_JSON + " on the class path");
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return (JsonObject) Jsoner.deserialize(reader);
            }
        }
    }
}
