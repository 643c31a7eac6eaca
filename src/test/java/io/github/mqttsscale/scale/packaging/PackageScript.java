package io.github.mqttsscale.scale.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The .deb that {@code ./mvnw package} built, and the scripts in packaging/deb/test that test it in Debian roots. */
final class PackageScript {

    static final Path TARGET = Path.of("target");

    private PackageScript() {
    }

    static Path builtPackage() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("mqtts-scale_.+_all\\.deb"))
                    .toList();
            assertThat(debs).as("exactly one package built by ./mvnw package in target/").hasSize(1);
            return debs.get(0);
        }
    }

    /**
     * Runs packaging/deb/test/{@code script} with the arguments, its output in target/{@code logName}, and asserts
     * that all its checks passed.
     */
    static void runs(String script, String logName, Duration timeout, String... arguments) throws Exception {
        Path log = TARGET.resolve(logName);
        List<String> command = new ArrayList<>(List.of("bash", "packaging/deb/test/" + script));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toMinutes(), TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(script + " took over " + timeout.toMinutes() + " minutes; its log: " + log);
        }
        passed(script, log, process.exitValue());
    }

    /**
     * Like {@link #runs}, or, when this build started this script alongside already (packaging/deb/test/alongside.sh,
     * with target/{@code logName}, after it made the package), waits for it to end and asserts the same.
     */
    static void runsOrAwaits(String script, String logName, Duration timeout, String... arguments) throws Exception {
        Path log = TARGET.resolve(logName);
        Path started = TARGET.resolve(logName + ".started");
        if (!Files.exists(started) || Files.getLastModifiedTime(started)
                .compareTo(Files.getLastModifiedTime(builtPackage())) < 0) {
            // not started by this build: an earlier one's result says nothing about this package
            runs(script, logName, timeout, arguments);
            return;
        }
        Path exitStatus = TARGET.resolve(logName + ".rc");
        System.out.println(script + " runs alongside the build since " + Files.getLastModifiedTime(started)
                + " (" + Files.readString(started).strip() + "): waiting for it to end");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(exitStatus)) {
            if (System.nanoTime() > deadline) {
                fail(script + ", started alongside the build, did not end within " + timeout.toMinutes()
                        + " minutes; its log: " + log);
            }
            TimeUnit.SECONDS.sleep(5);
        }
        passed(script, log, Integer.parseInt(Files.readString(exitStatus).strip()));
    }

    private static void passed(String script, Path log, int exitValue) throws IOException {
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(exitValue)
                .as("packaging/deb/test/%s failed (exit 2: it could not run here, see its reason):%n%s", script, output)
                .isZero();
        assertThat(output).contains(" checks passed, 0 failed,");
    }
}
