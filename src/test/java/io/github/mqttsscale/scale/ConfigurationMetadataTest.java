package io.github.mqttsscale.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code scale.*} settings are described once, in the javadoc of their properties records; the build turns it
 * into Spring's configuration metadata. The README's configuration table and the package's commented
 * application.yaml are held to that metadata here, so neither can drift from the code.
 */
class ConfigurationMetadataTest {

    private static final Pattern README_ROW = Pattern.compile("^\\| `(scale\\.[a-z0-9.-]+)` \\| (.*?) \\| (.*) \\|$");
    private static final Pattern YAML_LINE = Pattern.compile("^#?(scale\\.[a-z0-9.-]+):\\s*(.*)$");
    /** A default that depends on the machine or other settings is named at the end of the description. */
    private static final Pattern DERIVED_DEFAULT = Pattern.compile("^(.*); default: (.*)$");

    private static Map<String, Setting> settings;

    record Setting(String name, String defaultValue, String description) {

        /** What the README's "meaning" column says: the description without its derived default. */
        String meaning() {
            Matcher derived = DERIVED_DEFAULT.matcher(description);
            return derived.matches() ? derived.group(1) : description;
        }

        /** What the README's "default" column says: the fixed default, or the derived one in words. */
        String shownDefault() {
            if (defaultValue != null) {
                return defaultValue;
            }
            Matcher derived = DERIVED_DEFAULT.matcher(description);
            return derived.matches() ? derived.group(2) : "(none)";
        }

        String readmeRow() {
            return "| `" + name + "` | " + (defaultValue != null ? "`" + defaultValue + "`" : shownDefault()) + " | "
                    + meaning() + " |";
        }
    }

    @BeforeAll
    static void readMetadata() throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("metadata made by spring-boot-configuration-processor at compile time").isNotNull();
            JsonNode metadata = new ObjectMapper().readTree(in);
            settings = new LinkedHashMap<>();
            for (JsonNode property : metadata.get("properties")) {
                String name = property.get("name").asText();
                JsonNode defaultValue = property.get("defaultValue");
                JsonNode description = property.get("description");
                settings.put(name, new Setting(name, defaultValue == null ? null : defaultValue.asText(),
                        description == null ? null : description.asText()));
            }
        }
    }

    @Test
    void everySettingHasADescription() {
        assertThat(settings).as("scale.* settings in the metadata").hasSizeGreaterThan(30);
        List<String> undescribed = settings.values().stream()
                .filter(setting -> setting.description() == null || setting.description().isBlank())
                .map(Setting::name).toList();
        assertThat(undescribed).as("settings without a @param description in their properties record").isEmpty();
    }

    @Test
    void theReadmeTableSaysWhatTheMetadataSays() throws IOException {
        Map<String, String> readme = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher row = README_ROW.matcher(line);
            if (row.matches()) {
                readme.put(row.group(1), normalize(line));
            }
        }
        List<String> wrong = new ArrayList<>();
        for (Setting setting : settings.values()) {
            String expected = setting.readmeRow();
            if (!normalize(expected).equals(readme.get(setting.name()))) {
                wrong.add(expected);
            }
        }
        List<String> unknown = readme.keySet().stream().filter(name -> !settings.containsKey(name)).toList();

        assertThat(unknown).as("README rows for settings that do not exist").isEmpty();
        assertThat(wrong).as("README configuration rows that differ from the properties records' javadoc; the rows"
                + " as they should read:\n" + String.join("\n", wrong)).isEmpty();
    }

    /** Commented out, a setting shows the value the service runs with: the package's own (package.yaml) or the default. */
    @Test
    void thePackagesApplicationYamlListsEverySettingWithItsDefault() throws IOException {
        Map<String, String> packageDefaults = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("packaging/deb/package.yaml"))) {
            Matcher setting = Pattern.compile("^  ([a-z-]+): (.+)$").matcher(line);
            if (setting.matches()) {
                packageDefaults.put("scale." + setting.group(1), setting.group(2));
            }
        }
        assertThat(packageDefaults).as("the package's own settings").containsKey("scale.sensor");
        Map<String, String> listed = new LinkedHashMap<>();
        Map<String, String> commentedOut = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("packaging/deb/application.yaml"))) {
            Matcher setting = YAML_LINE.matcher(line);
            if (setting.matches()) {
                listed.put(setting.group(1), setting.group(2));
                if (line.startsWith("#")) {
                    commentedOut.put(setting.group(1), setting.group(2));
                }
            }
        }
        assertThat(listed.keySet()).as("settings in packaging/deb/application.yaml")
                .containsExactlyInAnyOrderElementsOf(settings.keySet());
        Map<String, String> defaults = new LinkedHashMap<>();
        settings.values().stream().filter(setting -> setting.defaultValue() != null)
                .forEach(setting -> defaults.put(setting.name(), setting.defaultValue()));
        defaults.putAll(packageDefaults);
        Map<String, String> wrongDefaults = commentedOut.entrySet().stream()
                .filter(entry -> defaults.containsKey(entry.getKey()))
                .filter(entry -> !entry.getValue().equals(defaults.get(entry.getKey())))
                .collect(Collectors.toMap(Map.Entry::getKey,
                        entry -> entry.getValue() + " (the service runs with " + defaults.get(entry.getKey()) + ")"));
        assertThat(wrongDefaults).as("commented-out settings whose value is not the default").isEmpty();
    }

    /** The README writes code in backticks; the javadoc does not. */
    private static String normalize(String row) {
        return row.replace("`", "").replaceAll("\\s+", " ").trim();
    }
}
