package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.operations.CommandInbox;
import io.github.mqttsscale.scale.operations.SaveThrottle;
import io.github.mqttsscale.scale.testsupport.MqttTestClients;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * Commands over MQTT are bounded, each refusal answered with its reason: a known weight out of range, a calibration far
 * off the current one unless forced, a command too large, a flood of commands (a small queue, tare and calibrate
 * throttled). Against the real broker and the simulated HX711.
 */
@SpringBootTest(properties = {"scale.simulator.load-kg=0", "scale.publish.heartbeat=500ms",
        // "force" over MQTT, which the default leaves out
        "scale.commands.allowed=tare,calibrate,calibrate-force,calibration,publish"})
@DirtiesContext
class CommandBoundsTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("command-bounds");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Long enough for the throttle to allow a whole burst again. */
    private static final Duration THROTTLE_REFILLED = Duration.ofSeconds(SaveThrottle.BURST + 1);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        SETUP.startAndRegister(registry);
    }

    @Autowired
    Scales scales;
    @Autowired
    CamelContext camel;
    Hx711Simulator simulator;
    @Autowired
    BrokerConnection brokerConnection;
    Calibration calibration;

    private MqttTestSubscriber results;

    @BeforeEach
    void subscribe() {
        Scale scale = scales.all().get(0);
        simulator = scale.simulator().orElseThrow();
        calibration = scale.calibration();
        results = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, ScaleBrokerSetup.RESULT_TOPIC);
        // the scale connects in the background: the first test may come before it
        await().atMost(WAIT).until(brokerConnection::isOnline);
    }

    @AfterEach
    void unsubscribe() throws InterruptedException {
        results.close();
        simulator.setLoadKg(0);
        // the throttle refills with time and shows no state to await: the next test starts with a whole burst
        Thread.sleep(THROTTLE_REFILLED.toMillis());
    }

    @Test
    void aKnownWeightOutOfRangeIsRefusedAndNothingIsSaved() throws Exception {
        double countsPerKg = calibration.countsPerKg();
        for (String weight : new String[]{"1e308", "1e-300", "5001", "0.0009"}) {
            JsonNode result = command("{\"command\":\"calibrate\",\"knownWeightKg\":" + weight + "}");
            assertThat(result.get("ok").asBoolean()).as(result.toString()).isFalse();
            assertThat(result.get("reason").asText()).contains("from 0.001 to 5000.0 kg");
        }
        assertThat(calibration.countsPerKg()).isEqualTo(countsPerKg);
    }

    @Test
    void aCalibrationFarOffTheCurrentOneIsRefusedUnlessForced() throws Exception {
        double countsPerKg = calibration.countsPerKg();
        assertThat(command("{\"command\":\"tare\"}").get("ok").asBoolean()).isTrue();
        simulator.setLoadKg(2.0);
        // 2 kg typed as grams-in-kg: a thousand times the counts per kg
        JsonNode refused = command("{\"command\":\"calibrate\",\"knownWeightKg\":0.002}");
        assertThat(refused.get("ok").asBoolean()).as(refused.toString()).isFalse();
        assertThat(refused.get("reason").asText()).contains("more than 10 times off").contains("\"force\": true");
        assertThat(calibration.countsPerKg()).isEqualTo(countsPerKg);

        JsonNode forced = command("{\"command\":\"calibrate\",\"knownWeightKg\":0.002,\"force\":true}");
        assertThat(forced.get("ok").asBoolean()).as(forced.toString()).isTrue();
        assertThat(calibration.countsPerKg()).isGreaterThan(countsPerKg * 100);
        JsonNode back = command("{\"command\":\"calibrate\",\"knownWeightKg\":2,\"force\":true}");
        assertThat(back.get("ok").asBoolean()).as(back.toString()).isTrue();
        assertThat(calibration.countsPerKg()).isCloseTo(Hx711Simulator.DEFAULT_COUNTS_PER_KG,
                org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    void aCommandTheSettingDoesNotListIsRefusedSayingSo() throws Exception {
        JsonNode refused = command("{\"command\":\"simulate-load\",\"kg\":3}");
        assertThat(refused.get("ok").asBoolean()).as(refused.toString()).isFalse();
        assertThat(refused.get("reason").asText()).contains("simulate-load is not allowed over MQTT",
                "scale.commands.allowed");
        assertThat(simulator.getLoadKg()).isZero();
    }

    @Test
    void tareAndCalibrateAreThrottled() throws Exception {
        int tares = SaveThrottle.BURST + 4;
        for (int i = 0; i < tares; i++) {
            send("{\"command\":\"tare\"}", 1);
        }
        List<JsonNode> answers = answers(tares);
        assertThat(answers.get(0).get("ok").asBoolean()).isTrue();
        assertThat(answers).as("tares refused as too many").anySatisfy(answer -> {
            assertThat(answer.get("ok").asBoolean()).isFalse();
            assertThat(answer.get("reason").asText()).contains("too many tare/calibrate in a row");
        });
        assertThat(answers.stream().filter(answer -> answer.get("ok").asBoolean()).count())
                .as("tares done in about a second").isBetween((long) SaveThrottle.BURST, SaveThrottle.BURST + 2L);
    }

    @Test
    void aFloodOfCommandsIsRefusedAsBusyAndTheScaleStillAnswers() throws Exception {
        // tares take a fresh reading each: the queue fills up behind them
        for (int i = 0; i < 40; i++) {
            send("{\"command\":\"tare\"}", 0);
        }
        List<JsonNode> answers = answers(10);
        // the tares that got into the queue run one by one: wait until the commands route has run them all
        String commandsRoute = scales.all().get(0).routeId(CommandInbox.ROUTE_TEMPLATE);
        SedaEndpoint queue = (SedaEndpoint) camel.getRoute(commandsRoute).getEndpoint();
        await().atMost(WAIT).until(() -> queue.getCurrentQueueSize() == 0
                && camel.getInflightRepository().size(commandsRoute) == 0);
        answers.addAll(results.pending().stream().map(CommandBoundsTest::json).toList());
        assertThat(answers).as("commands refused because the queue was full").anySatisfy(
                answer -> assertThat(answer.get("reason").asText()).contains("busy: 10 commands are waiting"));

        results.clear();
        send("{\"command\":\"publish\"}", 1);
        // the answer to the last tare may still be on its way: the answer to publish is the one that counts
        await().atMost(WAIT).untilAsserted(() -> assertThat(results.pending().stream().map(CommandBoundsTest::json))
                .as("the answer to publish after the flood").anySatisfy(answer -> {
                    assertThat(answer.path("command").asText()).isEqualTo("publish");
                    assertThat(answer.get("ok").asBoolean()).as(answer.toString()).isTrue();
                }));
    }

    @Test
    void aCommandTooLargeIsRefusedAndOneOverTheMqttPacketLimitNeverArrives() throws Exception {
        JsonNode tooLarge = command("{\"command\":\"tare\",\"pad\":\"" + "x".repeat(2000) + "\"}");
        assertThat(tooLarge.get("ok").asBoolean()).isFalse();
        assertThat(tooLarge.get("reason").asText()).contains("too large").contains("at most 1024");

        results.clear();
        MqttTestClients.publish(SETUP.broker, SETUP.pki.clientTlsFiles(), ScaleBrokerSetup.COMMAND_TOPIC,
                "{\"command\":\"tare\",\"pad\":\""
                        + "x".repeat((int) BrokerConnection.MAX_INCOMING_PACKET_BYTES) + "\"}",
                1, false);
        results.assertNothingWithin(Duration.ofSeconds(2));
        assertThat(brokerConnection.isConnected()).isTrue();
        assertThat(command("{\"command\":\"publish\"}").get("ok").asBoolean()).isTrue();
    }

    /** Sends a command as another client would and returns its result. */
    private JsonNode command(String payload) throws Exception {
        results.clear();
        send(payload, 1);
        return json(results.awaitOne(WAIT));
    }

    private void send(String payload, int qos) throws Exception {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        brokerConnection.client().publish(ScaleBrokerSetup.COMMAND_TOPIC, message);
    }

    private List<JsonNode> answers(int count) {
        return new java.util.ArrayList<>(results.await(count, WAIT).stream().map(CommandBoundsTest::json).toList());
    }

    private static JsonNode json(MqttTestSubscriber.Received received) {
        try {
            return JSON.readTree(received.payload());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
