package io.github.mqttsscale.scale.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The .deb that {@code ./mvnw package} builds into target/: its contents with dpkg-deb, then its whole life
 * (install, upgrade, remove, purge; then the service under systemd) in an x86 Debian root, by
 * packaging/deb/test/lifecycle.sh, and in an arm64 trixie root under emulation, by packaging/deb/test/emulated.sh.
 * Runs in {@code verify} (failsafe), after the package exists. Needs root, debootstrap, systemd-analyze,
 * systemd-nspawn, qemu-user-static, binfmt-support, mosquitto, curl and python3 (.ci/run installs them); without them
 * it fails saying so.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebPackageIT {

    private static final Path TARGET = PackageScript.TARGET;
    private static Path deb;

    @BeforeAll
    static void findPackage() throws IOException {
        deb = PackageScript.builtPackage();
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
                .containsEntry("/lib/udev/rules.d/60-mqtts-scale.rules", "-rw-r--r-- root/root")
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
        PackageScript.runs("lifecycle.sh", "deb-test-lifecycle.log", Duration.ofMinutes(15), deb.toString(),
                TARGET.resolve("deb-test").toString());
    }

    /**
     * On a Pi's architecture: arm64 trixie (Raspberry Pi OS since late 2025), emulated (packaging/deb/test/emulated.sh
     * --essential): apt-get install with the JRE it pulls in, groups and udev rules for a Pi without Raspberry Pi OS,
     * the plain message without a GPIO chip, the service publishing over TLS from the SPI wiring while the GPIO wiring
     * is found too slow here (log, health, check), upgrade, purge. The root is made once per machine. A whole build
     * started it alongside the other tests (profile pi-package-alongside), and this waits for its end. The other
     * roots: DebPackagePiRootsIT (./mvnw -Ppi-roots). Last: the other tests here run while it is still going, not
     * after it (it is the longest part of the build).
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void lifecycleInAnEmulatedArm64TrixieRoot() throws Exception {
        PackageScript.runsOrAwaits("emulated.sh", "deb-test-trixie-arm64.log", Duration.ofMinutes(75), "--essential",
                "arm64", "trixie", deb.toString(), TARGET.resolve("deb-test-trixie-arm64").toString());
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
