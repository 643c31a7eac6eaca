package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber.Received;

/**
 * The route report-diagnostics: each scale's retained diagnostics on {@code scale/<device-id>/diagnostics} at the
 * start, and within seconds of a problem beginning or ending (overload over the capacity, a load beyond what the chip
 * measures), with the samples its driver rejected; while the broker is away, quietly not published, and published once
 * it is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class DiagnosticsPublishingTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("diagnostics");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A check every 5 s, and the publish: a problem shows within this. */
    private static final Duration SOON = Duration.ofSeconds(15);

    @Test
    void aProblemShowsInTheNextDiagnosticsWithinSecondsAndTheRejectedSamplesAreCounted() throws Exception {
        // a device of its own: the other test leaves its retained diagnostics
        String topic = "scale/problem-scale/diagnostics";
        try (MqttTestSubscriber diagnostics = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, topic);
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.device-id", "problem-scale",
                        "scale.capacity-kg", "10"))) {
            JsonNode first = JSON.readTree(diagnostics.awaitOne(WAIT).payload());
            assertThat(first.get("deviceId").asText()).isEqualTo("problem-scale");
            assertThat(first.get("problem").asBoolean()).isFalse();
            assertThat(first.get("problems").isEmpty()).isTrue();
            assertThat(first.get("zeroShiftKg").decimalValue()).isZero();
            assertThat(first.has("rejectedSamplesPerMinute")).isTrue();
            assertThat(first.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            try (MqttTestSubscriber retained = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, topic)) {
                assertThat(retained.awaitOne(WAIT).retained()).as("retained for Home Assistant").isTrue();
            }

            Hx711Simulator simulator = scale.scale().simulator().orElseThrow();
            simulator.setLoadKg(12); // on a scale of 10 kg: step over-capacity reports it
            JsonNode overloaded = awaitProblem(diagnostics, true);
            assertThat(overloaded.get("problems").get("overload").asText()).contains("take load off");

            simulator.setLoadKg(2.5);
            awaitProblem(diagnostics, false);

            // beyond what the chip measures: its samples sit at the rail, rejected, and the scale says so
            simulator.setLoadKg(1000);
            JsonNode saturated = awaitProblem(diagnostics, true);
            assertThat(saturated.get("problems").has("saturated")).as(saturated.toString()).isTrue();
            assertThat(saturated.get("rejectedSamplesPerMinute").asLong()).as(saturated.toString()).isPositive();
            simulator.setLoadKg(2.5);
        }
    }

    @Test
    void whileTheBrokerIsAwayTheDiagnosticsAreQuietlyNotPublishedAndSentOnceItIsBack(CapturedOutput output)
            throws Exception {
        String topic = "scale/away-scale/diagnostics";
        try (RunningScale scale = RunningScale.start(SETUP, Map.of("scale.device-id", "away-scale",
                "scale.capacity-kg", "10"))) {
            await().atMost(WAIT).until(() -> scale.broker().isConnected());
            SETUP.broker.stop();
            await().atMost(WAIT).until(() -> !scale.broker().isConnected());
            int logBefore = output.getAll().length();
            scale.scale().simulator().orElseThrow().setLoadKg(12);
            // the broker away over a few checks (5 s apart), each making a report that cannot go out
            Thread.sleep(12_000);
            String logged = output.getAll().substring(logBefore);
            assertThat(logged).as("nothing logged about the diagnostics while the broker is away")
                    .doesNotContain("diagnostics", "report-diagnostics", "\tat ");

            SETUP.broker.start();
            await().atMost(WAIT).until(() -> scale.broker().isConnected());
            try (MqttTestSubscriber diagnostics = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, topic)) {
                await("the report made while the broker was away, published once it is back").atMost(SOON)
                        .untilAsserted(() -> assertThat(latest(diagnostics).get("problem").asBoolean()).isTrue());
            }
        } finally {
            SETUP.broker.start();
        }
    }

    /** The diagnostics that say problem true (or false), within seconds. */
    private static JsonNode awaitProblem(MqttTestSubscriber diagnostics, boolean problem) throws Exception {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode report = JSON.readTree(diagnostics.awaitOne(SOON).payload());
            if (report.get("problem").asBoolean() == problem) {
                return report;
            }
        }
        throw new AssertionError("no diagnostics with problem " + problem + " within " + SOON);
    }

    /** The last diagnostics received so far, waiting for one if none came yet. */
    private static JsonNode latest(MqttTestSubscriber diagnostics) throws Exception {
        Received last = diagnostics.awaitOne(SOON);
        for (Received next : diagnostics.pending()) {
            last = next;
        }
        diagnostics.clear();
        return JSON.readTree(last.payload());
    }
}
