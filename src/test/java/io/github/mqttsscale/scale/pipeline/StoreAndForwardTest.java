package io.github.mqttsscale.scale.pipeline;

import static io.github.mqttsscale.scale.testsupport.DeliveryAssertions.assertDuplicatesUnderOnePercent;
import static io.github.mqttsscale.scale.testsupport.DeliveryAssertions.assertNothingLostInOrder;
import static io.github.mqttsscale.scale.testsupport.ReadingSeqs.collect;
import static io.github.mqttsscale.scale.testsupport.ReadingSeqs.collectUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;

import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.testsupport.FlakyLink;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.PublishedWeights;
import io.github.mqttsscale.scale.testsupport.ReliabilityReport;

/**
 * Nothing lost when the network or the broker goes away: every reading taken arrives, in order, once
 * the broker is reachable again. Counted by {@code seq}, with every reading published (min change 0).
 */
class StoreAndForwardTest {

    private static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("store-and-forward");
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

    private static Map<String, String> everyReadingAtFivePerSecond(Map<String, String> more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "scale.mqtt.url", link.url(),
                "scale.sample-interval", "200ms",
                "scale.publish.min-change-kg", "0",
                "scale.mqtt.connect-timeout", "2s",
                "scale.mqtt.reconnect-max-delay", "1s"));
        settings.putAll(more);
        return settings;
    }

    @Test
    void aTwentySecondOutageAtFiveReadingsPerSecondLosesNothing() throws Exception {
        link.restore();
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, everyReadingAtFivePerSecond(Map.of()))) {
            List<Long> arrived = new ArrayList<>();
            collect(subscriber, arrived, 5, Duration.ofSeconds(30));

            link.cut();
            // the outage under test: 20 s without the broker
            Thread.sleep(20_000);
            Outbox outbox = scale.bean(Outbox.class);
            assertThat(outbox.getWaiting()).as("readings kept during the outage").isGreaterThanOrEqualTo(60);
            long lastTakenDuringOutage = arrived.get(arrived.size() - 1) + outbox.getWaiting();
            long restoredAt = System.nanoTime();
            link.restore();

            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.getWaiting() == 0);
            Duration recovery = Duration.ofNanos(System.nanoTime() - restoredAt);
            // and 10 s of live readings after it: the stream users see, over which duplicates are counted
            collectUntil(subscriber, arrived, lastTakenDuringOutage + 50, Duration.ofSeconds(30));
            assertNothingLostInOrder(arrived, 1);
            assertDuplicatesUnderOnePercent(arrived);
            assertThat(outbox.getDropped()).isZero();
            // the subscriber may have a reading before the scale has its PUBACK and counts it: wait for the count
            long distinct = arrived.stream().distinct().count();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(PublishedWeights.counted(scale.bean(MeterRegistry.class)))
                            .as("scale.published, live and from the outbox").isGreaterThanOrEqualTo(distinct));
            ReliabilityReport.print("20 s outage at 5 readings/s", arrived, outbox.getKept(), recovery);
        }
    }

    /** The outbox sender sleeps while the broker is away: it once asked again and again, 88 % of a core per outage. */
    @Test
    void anOutageWithReadingsWaitingCostsTheOutboxSenderNoCpuAndLosesNothing() throws Exception {
        link.restore();
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, everyReadingAtFivePerSecond(Map.of()))) {
            List<Long> arrived = new ArrayList<>();
            collect(subscriber, arrived, 3, Duration.ofSeconds(30));

            link.cut();
            Outbox outbox = scale.bean(Outbox.class);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !scale.broker().isConnected() && outbox.getWaiting() > 0);
            long cpuBefore = outboxSenderCpuNanos();
            long wallBefore = System.nanoTime();
            // the CPU the sender uses is measured over 6 s of the outage
            Thread.sleep(6_000);
            double cpuShare = (double) (outboxSenderCpuNanos() - cpuBefore) / (System.nanoTime() - wallBefore);
            assertThat(outbox.getWaiting()).as("readings waiting during the outage").isGreaterThanOrEqualTo(20);
            assertThat(cpuShare).as("share of a core the outbox sender used during the outage").isLessThan(0.02);
            assertThat(scale.operations(null).publish()).as("publish now, said while the broker is away")
                    .isEqualTo("the broker is not connected: the next reading is kept in the outbox and published once"
                            + " it is back");
            long lastTakenDuringOutage = arrived.get(arrived.size() - 1) + outbox.getWaiting();

            link.restore();
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.getWaiting() == 0);
            collectUntil(subscriber, arrived, lastTakenDuringOutage, Duration.ofSeconds(30));
            assertNothingLostInOrder(arrived, 1);
            assertThat(scale.operations(null).publish()).isEqualTo("the next reading is published");
            System.out.printf("RELIABILITY outage with readings waiting: outbox sender used %.2f %% of a core%n",
                    100 * cpuShare);
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesNothing() throws Exception {
        link.restore();
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, everyReadingAtFivePerSecond(Map.of()))) {
            List<Long> arrived = new ArrayList<>();
            collect(subscriber, arrived, 5, Duration.ofSeconds(30));

            // The scale's side of the link goes first: this broker keeps no messages across its own restart
            // (in-memory persistence), so readings it acknowledged while shutting down would be the broker's
            // loss, not the scale's. The restarted broker comes back with no session and no subscription.
            link.cut();
            SETUP.broker.restart();
            subscriber.awaitReady(Duration.ofSeconds(30));
            link.restore();

            Outbox outbox = scale.bean(Outbox.class);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> scale.broker().isConnected() && outbox.getWaiting() == 0);
            assertThat(outbox.getSent()).as("readings kept while the broker restarted").isPositive();
            collectUntil(subscriber, arrived, arrived.get(arrived.size() - 1) + outbox.getSent() + 5,
                    Duration.ofSeconds(30));
            assertNothingLostInOrder(arrived, 1);
            ReliabilityReport.print("broker restart mid-stream", arrived, outbox.getKept(), null);
        }
    }

    @Test
    void aLongOutageOverflowsTheBoundDroppingTheOldestAndCountingThem() throws Exception {
        link.restore();
        try (RunningScale scale = RunningScale.start(SETUP,
                everyReadingAtFivePerSecond(Map.of("scale.outbox.max-readings", "10")))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> scale.broker().isConnected());
            link.cut();
            Outbox outbox = scale.bean(Outbox.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.getDropped() >= 5);
            assertThat(outbox.getWaiting()).isEqualTo(10);
            try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                    ScaleBrokerSetup.WEIGHT_TOPIC)) {
                link.restore();
                List<Long> arrived = new ArrayList<>();
                collect(subscriber, arrived, 10, Duration.ofSeconds(30));
                assertThat(arrived.subList(0, 10)).as("the ten newest kept readings, in order").isSorted();
            }
            assertThat(scale.isWeighing()).isTrue();
        }
    }

    @Test
    void aBrokerThatAcceptsButNeverAnswersTimesOutAndIsRetriedWithoutLeakingThreads() throws Exception {
        link.silence();
        // a device id of its own: Paho names its threads after the client id, so this scale's threads can be counted
        // apart from those of scales other test classes left running in this JVM
        String deviceId = "silent-broker-scale";
        try (RunningScale scale = RunningScale.start(SETUP,
                everyReadingAtFivePerSecond(Map.of("scale.device-id", deviceId)))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> assertThat(scale.broker().lastProblem()).isNotNull().doesNotContain("nothing accepts"));
            // the scale shows no count of its attempts: a few connection attempts (1 s apart at most, 2 s timeout
            // each) over 4 s, then more over another 8 s, between which its MQTT threads must not grow
            Thread.sleep(4_000);
            long threadsAfterFirstAttempts = threadsNaming(deviceId);
            Thread.sleep(8_000);
            assertThat(threadsNaming(deviceId)).as("this scale's MQTT threads after more connection attempts")
                    .isLessThanOrEqualTo(threadsAfterFirstAttempts + 1);
            assertThat(scale.bean(Outbox.class).getWaiting()).isPositive();

            try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                    "scale/" + deviceId + "/weight")) {
                link.restore();
                assertThat(subscriber.awaitOne(Duration.ofSeconds(30)).payloadText()).contains("\"seq\":1,");
            }
        } finally {
            link.restore();
        }
    }

    /** CPU time of the outbox consumers of every scale in this JVM (the others sleep while nothing waits). */
    private static long outboxSenderCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().endsWith(" - outbox"))
                .mapToLong(thread -> Math.max(0, threads.getThreadCpuTime(thread.getId()))).sum();
    }

    private static long threadsNaming(String text) {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().contains(text)).count();
    }
}
