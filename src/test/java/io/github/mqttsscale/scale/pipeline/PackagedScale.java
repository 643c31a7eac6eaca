package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The scale as users start it: {@code java -jar target/mqtts-scale.jar --name=value ...}, its output in a file. */
final class PackagedScale {

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
}
