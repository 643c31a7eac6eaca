package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.outbox.OutboxProperties;
import io.github.mqttsscale.scale.testsupport.DeliveryAssertions;
import io.github.mqttsscale.scale.testsupport.FlakyLink;
import io.github.mqttsscale.scale.testsupport.KeptReadings;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.ReadingSeqs;
import io.github.mqttsscale.scale.testsupport.ReliabilityReport;

/**
 * The packaged scale ({@code java -jar target/mqtts-scale.jar}) killed with SIGKILL during an outage and
 * started again: the readings it kept arrive, in order, once the broker is reachable.
 */
class KillDuringOutageIT {

    private static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("kill");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FlakyLink link;

    @BeforeAll
    static void startBroker() {
        SETUP.broker.start();
        link = new FlakyLink(SETUP.broker.port());
    }

    @AfterAll
    static void stopBroker() {
        link.close();
        SETUP.broker.close();
    }

    @Test
    void readingsKeptBeforeASigkillArriveAfterTheRestart() throws Exception {
        Path dataDir = SETUP.dir.resolve("data");
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC)) {
            Process first = startScale(dataDir, "first");
            List<Long> arrived = new ArrayList<>();
            try {
                PackagedScale.awaitStarted(first, log("first"));
                ReadingSeqs.collect(subscriber, arrived, 5, Duration.ofSeconds(60));
                link.cut();
                // the outage lasts 8 s, some 40 readings at 5 per second, before the kill: the other process keeps
                // them, so there is nothing here to await
                Thread.sleep(8_000);
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no clean disconnect
                first.waitFor(20, TimeUnit.SECONDS);
            }
            List<Long> kept = keptIn(dataDir);
            assertThat(kept).as("readings kept during the outage").hasSizeGreaterThanOrEqualTo(20);

            long restartedAt = System.nanoTime();
            Process second = startScale(dataDir, "second");
            Duration recovery;
            try {
                link.restore();
                PackagedScale.awaitStarted(second, log("second"));
                long lastKept = kept.get(kept.size() - 1);
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (arrived.isEmpty() || arrived.get(arrived.size() - 1) <= lastKept) {
                    ReadingSeqs.collect(subscriber, arrived, 1,
                            Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                }
                recovery = Duration.ofNanos(System.nanoTime() - restartedAt);
                // then live readings, so that duplicates are counted over a stream of over 100 readings
                while (arrived.stream().distinct().count() <= 100) {
                    ReadingSeqs.collect(subscriber, arrived, 1,
                            Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                }
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }

            TreeSet<Long> distinct = new TreeSet<>(arrived);
            long lastKept = kept.get(kept.size() - 1);
            List<Long> lost = new ArrayList<>();
            for (long seq = arrived.get(0); seq <= lastKept; seq++) {
                if (!distinct.contains(seq)) {
                    lost.add(seq);
                }
            }
            assertThat(lost).as("readings taken before the kill that never arrived").isEmpty();
            assertThat(arrived).as("arrival order").isSorted();
            assertThat(arrived.size() - distinct.size()).as("duplicates after one outage").isLessThanOrEqualTo(1);
            DeliveryAssertions.assertDuplicatesUnderOnePercent(arrived);
            ReliabilityReport.print("SIGKILL during an outage, then restart", arrived, kept.size(), null);
            System.out.printf(
                    "RELIABILITY SIGKILL during an outage: all kept readings arrived %.1f s after the process was started again%n",
                    recovery.toMillis() / 1000.0);
        }
    }

    private Process startScale(Path dataDir, String name) throws IOException {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        SETUP.register((key, value) -> settings.put(key, String.valueOf(value.get())));
        settings.putAll(Map.of("scale.mqtt.url", link.url(), "scale.data-dir", dataDir.toString(),
                "scale.sample-interval", "200ms", "scale.publish.min-change-kg", "0",
                "scale.mqtt.connect-timeout", "2s", "scale.mqtt.reconnect-max-delay", "1s"));
        return PackagedScale.start(settings, log(name));
    }

    private static Path log(String name) {
        return SETUP.dir.resolve(name + ".log");
    }

    /** What the killed scale had kept, read from a copy of its outbox (reading the real one would send nothing, but be safe). */
    private static List<Long> keptIn(Path dataDir) throws IOException {
        Path copy = Files.createTempDirectory(SETUP.dir, "outbox-copy-");
        FileSystemUtils.copyRecursively(dataDir.resolve("outbox"), copy.resolve("outbox"));
        Outbox outbox = new Outbox(copy, new OutboxProperties(100_000, Duration.ofDays(7), 20), 1, () -> true,
                Clock.systemUTC());
        List<Long> seqs = new ArrayList<>();
        for (String payload : KeptReadings.drain(outbox)) {
            seqs.add(JSON.readTree(payload).get("seq").asLong());
        }
        outbox.close();
        return seqs;
    }
}
