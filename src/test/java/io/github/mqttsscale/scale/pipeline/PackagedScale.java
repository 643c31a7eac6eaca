package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The scale as users start it: {@code java -jar target/mqtts-scale.jar --name=value ...}, its output in a file. */
final class PackagedScale {

    /** What the scale logs once it has started: its readings follow within seconds. */
    static final String STARTED = "Started ScaleApplication";
    /**
     * How long a start may take: a cold JVM on a saturated 2-core machine, beside the build's other tests and an
     * emulated Pi, took 80 s. A test's wait for readings starts after it, so that it measures the scale, not the start.
     */
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private PackagedScale() {
    }

    static Process start(Map<String, String> settings, Path log) throws IOException {
        return start(List.of(), settings, log);
    }

    /** The same with JVM options before {@code -jar}. */
    static Process start(List<String> jvmOptions, Map<String, String> settings, Path log) throws IOException {
        Path jar = Path.of("target", "mqtts-scale.jar");
        assertThat(jar).as("the packaged application (mvn package)").exists();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Waits for the scale's log to say it {@linkplain #STARTED started}; fails when the scale exits first or takes
     * longer than {@link #START_TIMEOUT}.
     *
     * @return when it was seen (System.nanoTime())
     */
    static long awaitStarted(Process scale, Path log) {
        // polled every 20 ms: when the line was seen is a figure tests measure from
        await("\"" + STARTED + "\" in " + log).atMost(START_TIMEOUT).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20)).pollInSameThread().until(() -> {
                    if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(STARTED)) {
                        return true;
                    }
                    if (!scale.isAlive()) {
                        throw new AssertionError(
                                "the scale exited (" + scale.exitValue() + ") before \"" + STARTED + "\": " + log);
                    }
                    return false;
                });
        return System.nanoTime();
    }
}
