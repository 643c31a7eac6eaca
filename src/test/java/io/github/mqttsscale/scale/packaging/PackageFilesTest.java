package io.github.mqttsscale.scale.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.github.mqttsscale.scale.DerivedDefaults;

/** The Debian package's files in packaging/deb agree with the code and with each other. */
class PackageFilesTest {

    private static final Path DEB = Path.of("packaging/deb");
    /** A setting in the conffile: "#name: value" (explanations are "# text"). */
    private static final Pattern SETTING = Pattern.compile("^#([a-z][a-z0-9.-]*[a-z0-9]):(?: (.*))?$");

    @Test
    void theConffileListsEverySettingCommentedOut() throws IOException {
        List<String> lines = Files.readAllLines(DEB.resolve("application.yaml"));
        List<String> listed = new ArrayList<>();
        StringBuilder uncommented = new StringBuilder();
        for (String line : lines) {
            Matcher setting = SETTING.matcher(line);
            if (setting.matches()) {
                listed.add(setting.group(1));
                uncommented.append(line.substring(1)).append('\n');
            }
            assertThat(line).as("nothing is set, every line is a comment").matches("^(#.*)?$");
        }
        List<String> expected = new ArrayList<>();
        DerivedDefaults.settingsRecords().forEach((prefix, type) -> settings(prefix, type, expected));

        assertThat(listed).containsAll(expected).doesNotHaveDuplicates()
                .contains("server.port", "spring.security.user.name", "camel.main.routes-reload-enabled");
        Map<String, Object> asYaml = new Yaml().load(uncommented.toString());
        assertThat(asYaml).as("uncommented, the settings are YAML").containsOnlyKeys(listed);
        assertThat(asYaml.get("scale.hx711.data-pin")).isEqualTo(5);
        assertThat(asYaml.get("scale.hx711.clock-pin")).isEqualTo(6);
    }

    /** What the package sets in package.yaml is what its conffile shows as the default; the sensor is never "auto". */
    @Test
    void theConffileShowsThePackagesOwnSettings() throws IOException {
        Map<String, Object> packaged = flatten("", new Yaml().load(Files.readString(DEB.resolve("package.yaml"))));
        Map<String, Object> shown = new HashMap<>();
        for (String line : Files.readAllLines(DEB.resolve("application.yaml"))) {
            Matcher setting = SETTING.matcher(line);
            if (setting.matches()) {
                shown.put(setting.group(1), new Yaml().load(String.valueOf(setting.group(2))));
            }
        }

        assertThat(packaged).as("a Pi that is not recognised must not publish simulated weights as real")
                .containsEntry("scale.sensor", "hx711");
        assertThat(packaged).as("plain HTTP without a certificate: on the Pi itself only")
                .containsEntry("server.address", "127.0.0.1");
        assertThat(shown).containsAllEntriesOf(packaged);
    }

    @Test
    void oneJvmOptionsFileForLauncherAndUnit() throws IOException {
        String launcher = Files.readString(DEB.resolve("mqtts-scale"));
        String unit = Files.readString(DEB.resolve("mqtts-scale.service"));
        List<String> options = Files.readAllLines(DEB.resolve("jvm.options")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();

        assertThat(unit).contains("\nExecStart=/usr/bin/mqtts-scale\n").doesNotContain("java", "-XX", "-Xss");
        assertThat(launcher).contains("\"@$SHARE/jvm.options\"");
        // the only JVM flags of its own are about the class cache it makes (which the JDK offers, where, checking it):
        // no tunings
        assertThat(Pattern.compile("-X[A-Za-z:+-]*").matcher(launcher).results().map(MatchResult::group))
                .isNotEmpty()
                .allMatch(flag -> List.of("-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit", "-Xshare:on",
                        "-XX:AOTCache",
                        "-XX:AOTCacheOutput", "-XX:AOTMode", "-XX:AOTConfiguration", "-XshowSettings:properties")
                        .contains(flag), "a class cache flag");
        assertThat(options).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dspring.aot.enabled=true")
                .anyMatch(o -> o.startsWith("-XX:MaxRAM="))
                .allMatch(option -> option.startsWith("-X") || option.equals("-Dspring.aot.enabled=true"));
    }

    @Test
    void theServiceMayWriteTheDataFolderOnly() throws IOException {
        String unit = Files.readString(DEB.resolve("mqtts-scale.service"));
        Map<String, Map<String, String>> packaged = new Yaml().load(Files.readString(DEB.resolve("package.yaml")));

        assertThat(unit).contains("\nReadWritePaths=" + packaged.get("scale").get("data-dir") + "\n",
                "\nProtectSystem=strict\n", "\nUser=mqtts-scale\n",
                "\nEnvironmentFile=-/etc/mqtts-scale/secrets.env\n");
        assertThat(unit.lines().filter(line -> line.startsWith("ReadWritePaths="))).hasSize(1);
        assertThat(unit).as("the extracted jar and class-data archive are root's: no directory of the service's own")
                .doesNotContain("CacheDirectory=", "StateDirectory=", "RuntimeDirectory=");
    }

    /** The systemd extras that bring systemd-analyze security to 2.0 or less (measured by the lifecycle test). */
    @Test
    void theUnitFiltersSystemCallsAndSocketsAndKeepsItsMountsAndIpcPrivate() throws IOException {
        List<String> unit = Files.readAllLines(DEB.resolve("mqtts-scale.service"));

        assertThat(unit).contains("RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                "SystemCallFilter=@system-service",
                "SystemCallFilter=~@privileged", "SystemCallErrorNumber=EPERM", "SystemCallArchitectures=native",
                "RemoveIPC=yes", "PrivateMounts=yes", "NoNewPrivileges=yes", "CapabilityBoundingSet=",
                "DevicePolicy=closed");
        assertThat(unit).as("incompatible with the JIT, or with the GPIO and SPI devices the scale opens")
                .noneMatch(line -> line.matches("(MemoryDenyWriteExecute|PrivateDevices)=.*"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> flatten(String prefix, Map<String, Object> yaml) {
        Map<String, Object> flat = new TreeMap<>();
        yaml.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flat.putAll(flatten(prefix + key + ".", (Map<String, Object>) nested));
            } else {
                flat.put(prefix + key, value);
            }
        });
        return flat;
    }

    private static void settings(String prefix, Class<?> type, List<String> into) {
        for (RecordComponent component : type.getRecordComponents()) {
            String key = prefix + "."
                    + component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            if (component.getType().isRecord()) {
                settings(key, component.getType(), into);
            } else {
                into.add(key);
            }
        }
    }
}
