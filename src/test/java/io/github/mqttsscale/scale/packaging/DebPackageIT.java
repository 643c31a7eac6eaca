package io.github.mqttsscale.scale.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The .deb that {@code ./mvnw package} builds into target/: its contents with dpkg-deb, then its whole life
 * (install, upgrade, remove, purge; then the service under systemd) in a Debian root, by
 * packaging/deb/test/lifecycle.sh. Runs in {@code verify} (failsafe), after the package exists. Needs root,
 * debootstrap, systemd-analyze and systemd-nspawn (.ci/run installs them); without them it fails saying so.
 */
class DebPackageIT {

    private static final Path TARGET = Path.of("target");
    private static Path deb;

    @BeforeAll
    static void findPackage() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("mqtts-scale_.+_all\\.deb"))
                    .toList();
            assertThat(debs).as("exactly one package built by ./mvnw package in target/").hasSize(1);
            deb = debs.get(0);
        }
    }

    @Test
    void contentsPathsModesAndOwners() {
        Map<String, String> entries = run("dpkg-deb", "--contents", deb.toString()).lines()
                .map(line -> line.split("\\s+"))
                .collect(Collectors.toMap(f -> f[5].replaceFirst("^\\./", "/").replaceFirst("(.)/$", "$1"),
                        f -> f[0] + " " + f[1], (a, b) -> a));

        assertThat(entries).containsEntry("/usr/share/mqtts-scale/mqtts-scale.jar", "-rw-r--r-- root/root")
                .containsEntry("/usr/share/mqtts-scale/jvm.options", "-rw-r--r-- root/root")
                .containsEntry("/usr/bin/mqtts-scale", "-rwxr-xr-x root/root")
                .containsEntry("/lib/systemd/system/mqtts-scale.service", "-rw-r--r-- root/root")
                .containsEntry("/etc/mqtts-scale", "drwxr-xr-x root/root")
                .containsEntry("/etc/mqtts-scale/application.yaml", "-rw-r--r-- root/root")
                .containsEntry("/etc/mqtts-scale/secrets.env", "-rw------- root/root")
                .containsEntry("/etc/mqtts-scale/routes/scale.camel.yaml", "-rw-r--r-- root/root")
                .containsEntry("/usr/share/doc/mqtts-scale/wiring.svg", "-rw-r--r-- root/root")
                .doesNotContainKey("/var/lib/mqtts-scale");
        assertThat(entries.keySet()).allMatch(path -> path.equals("/") || path.matches("/(usr|lib|etc)(/.*)?"));
    }

    @Test
    void controlFieldsAndConffiles() throws IOException {
        Function<String, String> field = name -> run("dpkg-deb", "--field", deb.toString(), name).strip();
        assertThat(field.apply("Package")).isEqualTo("mqtts-scale");
        assertThat(field.apply("Architecture")).isEqualTo("all");
        assertThat(deb.getFileName().toString()).isEqualTo("mqtts-scale_" + field.apply("Version") + "_all.deb");
        assertThat(field.apply("Depends"))
                .startsWith("default-jre-headless (>= 2:1.17) | java17-runtime-headless | openjdk-17-jre-headless");

        java.util.List<String> conffiles = new java.util.ArrayList<>(java.util.List.of(
                "/etc/mqtts-scale/application.yaml", "/etc/mqtts-scale/secrets.env"));
        try (var routes = java.nio.file.Files.list(java.nio.file.Path.of("routes"))) {
            routes.map(route -> "/etc/mqtts-scale/routes/" + route.getFileName()).forEach(conffiles::add);
        }
        assertThat(run("dpkg-deb", "--info", deb.toString(), "conffiles").lines().sorted().toList())
                .as("every route the scale ships is a conffile")
                .containsExactlyElementsOf(conffiles.stream().sorted().toList());
        assertThat(run("dpkg-deb", "--info", deb.toString()))
                .contains(" postinst ", " prerm ", " postrm ", " triggers ");
        assertThat(run("dpkg-deb", "--info", deb.toString(), "triggers").lines())
                .as("a JDK package's change prepares the class-data archive again")
                .contains("interest-noawait /usr/lib/jvm");
    }

    /** Install, upgrade, remove, purge in a Debian bookworm root, systemd-analyze verify, the service under systemd. */
    @Test
    void lifecycleInADebianRoot() throws Exception {
        Path log = TARGET.resolve("deb-test-lifecycle.log");
        Process script = new ProcessBuilder("bash", "packaging/deb/test/lifecycle.sh", deb.toString(),
                TARGET.resolve("deb-test").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!script.waitFor(15, TimeUnit.MINUTES)) {
            script.destroyForcibly();
            fail("lifecycle.sh took over 15 minutes; its log: " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(script.exitValue())
                .as("packaging/deb/test/lifecycle.sh failed (exit 2: it could not run here, see its reason):%n%s",
                        output)
                .isZero();
        assertThat(output).contains(" checks passed, 0 failed,");
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
            return output;
        } catch (IOException e) {
            throw new AssertionError(
                    command[0] + " is missing (" + e.getMessage() + "): the package test needs Debian's dpkg", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
