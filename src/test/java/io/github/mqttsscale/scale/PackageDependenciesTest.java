package io.github.mqttsscale.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packages are cut by feature (weighing, mqtt, outbox, operations, monitoring, ...) and depend on each other one
 * way only; the hx711 component knows nothing of the application. Read from the sources' imports.
 */
class PackageDependenciesTest {

    private static final String APPLICATION = "io.github.mqttsscale.scale";
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?" + Pattern.quote(APPLICATION)
            + "\\.([a-z0-9]+)\\.", Pattern.MULTILINE);
    private static final Pattern IMPORT_OF_THE_ROOT = Pattern
            .compile("^import (?:static )?" + Pattern.quote(APPLICATION)
                    + "\\.[A-Z]", Pattern.MULTILINE);

    @Test
    void noTwoPackagesDependOnEachOther() throws IOException {
        Map<String, Set<String>> uses = importsBetweenPackages(Path.of("src/main/java/io/github/mqttsscale/scale"));
        assertThat(uses).as("packages of the application").containsKeys("weighing", "mqtt", "outbox", "operations");

        List<String> cycles = new ArrayList<>();
        for (String from : uses.keySet()) {
            for (String to : uses.get(from)) {
                if (reaches(uses, to, from, new TreeSet<>())) {
                    cycles.add(from + " -> " + to + " -> ... -> " + from);
                }
            }
        }
        assertThat(cycles).as("package cycles; the imports: " + uses).isEmpty();
    }

    @Test
    void onlyTheApplicationClassesAtTheTopKnowTheFeatures() throws IOException {
        List<String> backwards = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/github/mqttsscale/scale"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                boolean inAFeature = !file.getParent().endsWith("scale");
                if (inAFeature && IMPORT_OF_THE_ROOT.matcher(Files.readString(file)).find()) {
                    backwards.add(file.toString());
                }
            }
        }
        assertThat(backwards).as("feature classes that import ScaleApplication's package").isEmpty();
    }

    @Test
    void theHx711ComponentImportsNothingOfTheApplication() throws IOException {
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("hx711-component/src/main/java"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                if (Files.readString(file).contains("import " + APPLICATION)) {
                    leaks.add(file.toString());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static Map<String, Set<String>> importsBetweenPackages(Path root) throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Path relative = root.relativize(file.getParent());
                if (relative.toString().isEmpty()) {
                    continue; // ScaleApplication and the app-wide defaults: they assemble the features
                }
                String from = relative.toString().replace('/', '.');
                Set<String> targets = uses.computeIfAbsent(from, name -> new TreeSet<>());
                Matcher imported = IMPORT.matcher(Files.readString(file));
                while (imported.find()) {
                    if (!imported.group(1).equals(from)) {
                        targets.add(imported.group(1));
                    }
                }
            }
        }
        return uses;
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        return uses.getOrDefault(from, Set.of()).stream().anyMatch(next -> reaches(uses, next, target, seen));
    }
}
