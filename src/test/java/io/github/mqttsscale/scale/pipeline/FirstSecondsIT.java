package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.testsupport.MqttTestClients;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/**
 * The packaged scale started as a new user starts it (plain {@code java -jar}, the simulated HX711, a fresh data
 * directory) while two CPU hogs keep both cores busy, as on a Pi that runs other things: it weighs from its first
 * seconds, keeps up with its settings, and takes a tare ten seconds after the start. Judged by counts (readings that
 * arrived in a window, polls that failed), never by how fast this machine happens to be.
 */
class FirstSecondsIT {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("first-seconds");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** scale.sample-interval's default, which a new user runs with. */
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration WINDOW = Duration.ofSeconds(40);
    private static final String STARTED = PackagedScale.STARTED;

    /**
     * The rate a user configures: a reading every {@code scale.sample-interval} (default 1 s), start to start, unless
     * its {@code samples} conversions at {@code rate} per second take longer; at least 90 % of that must arrive,
     * counted over the 40 s after the tare was answered. What the scale's own work on a reading costs here does not
     * count: the readings keep their interval.
     */
    @ParameterizedTest(name = "samples {0} at {1} samples/s")
    @CsvSource({"1, 10", "5, 10", "1, 80", "5, 80"})
    void weighsFromTheFirstSecondsAtTheConfiguredRateWhileTheMachineIsBusy(int samples, int rate) throws Exception {
        String name = "s" + samples + "-r" + rate;
        Path dataDir = SETUP.dir.resolve("data-" + name);
        Path log = SETUP.dir.resolve(name + ".log");
        try (CpuHogs hogs = CpuHogs.start(2);
                MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        ScaleBrokerSetup.WEIGHT_TOPIC);
                MqttTestSubscriber results = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        "scale/" + ScaleBrokerSetup.DEVICE_ID + "/command/result")) {
            Process scale = startScale(dataDir, log, samples, rate);
            try {
                long started = PackagedScale.awaitStarted(scale, log);
                assertThat(Files.readAllLines(log, StandardCharsets.UTF_8).get(0))
                        .as("the first line a user sees (nothing before the scale's own): %s", log)
                        .contains("Starting ScaleApplication");

                weights.awaitOne(Duration.ofSeconds(60));
                long firstWeight = System.nanoTime();
                double secondsToFirst = (firstWeight - started) / 1e9;

                sleepUntil(started + Duration.ofSeconds(10).toNanos());
                MqttTestClients.publish(SETUP.broker, SETUP.pki.clientTlsFiles(),
                        "scale/" + ScaleBrokerSetup.DEVICE_ID + "/command", "{\"command\":\"tare\"}", 1, false);
                JsonNode tare = JSON.readTree(results.awaitOne(Duration.ofSeconds(30)).payload());

                weights.clear(); // the rate of readings from here on, the tare's own reading aside
                long windowStart = System.nanoTime();
                sleepUntil(windowStart + WINDOW.toNanos());
                int inWindow = weights.pending().size();
                double configured = 1.0 / Math.max(INTERVAL.toMillis() / 1000.0, (double) samples / rate);
                double expected = configured * WINDOW.toSeconds();
                String scaleLog = Files.readString(log, StandardCharsets.UTF_8);
                long failedPolls = count(scaleLog, "Failed polling endpoint");
                long timingWarnings = count(scaleLog, "too busy to keep the clock-high phases under the limit");
                System.out.printf("FIRST SECONDS samples %d at %d/s with 2 CPU hogs: first weight %.1f s after \"%s\","
                        + " %d readings in %d s (configured %.1f/s: %.0f %%), failed polls %d, polls without"
                        + " a reading for clock timing %d, tare at 10 s: %s%n", samples, rate, secondsToFirst,
                        STARTED, inWindow, WINDOW.toSeconds(), configured, 100.0 * inWindow / expected, failedPolls,
                        timingWarnings, tare);

                assertThat(secondsToFirst).as("seconds from \"%s\" to the first weight", STARTED).isLessThan(5.0);
                assertThat(tare.get("ok").asBoolean()).as("tare 10 s after the start: %s", tare).isTrue();
                assertThat(inWindow).as("readings in %d s (configured %.2f/s); log %s", WINDOW.toSeconds(), configured,
                        log).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * expected));
                assertThat(failedPolls).as("polls that failed for a sensor fault; log %s", log).isZero();
            } finally {
                scale.destroy();
                scale.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Process startScale(Path dataDir, Path log, int samples, int rate) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        SETUP.register((key, value) -> settings.put(key, String.valueOf(value.get())));
        settings.remove("scale.sample-interval");
        settings.putAll(Map.of("scale.data-dir", dataDir.toString(),
                "scale.hx711.samples", Integer.toString(samples), "scale.hx711.rate", Integer.toString(rate),
                "scale.publish.min-change-kg", "0"));
        return PackagedScale.start(settings, log);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long remaining = nanoTime - System.nanoTime();
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
        }
    }

    private static long count(String text, String what) {
        return text.lines().filter(line -> line.contains(what)).count();
    }

    /** Processes that each keep a core busy at normal priority, as other programs on a Pi do. */
    private static final class CpuHogs implements AutoCloseable {

        private final List<Process> hogs;

        private CpuHogs(List<Process> hogs) {
            this.hogs = hogs;
        }

        static CpuHogs start(int count) throws IOException {
            List<Process> hogs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                hogs.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            return new CpuHogs(hogs);
        }

        @Override
        public void close() {
            hogs.forEach(Process::destroyForcibly);
        }
    }
}
