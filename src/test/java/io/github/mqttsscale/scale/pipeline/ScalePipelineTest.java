package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711Fault;
import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.hx711.Hx711SimulatorTesting;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber.Received;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * The whole scale as users run it: simulated HX711, the route from routes/, paho-mqtt5 over TLS with a
 * client certificate and a password, against a real broker; a separate subscriber checks what arrives.
 */
@SpringBootTest(properties = {"scale.simulator.load-kg=2.5", "scale.publish.heartbeat=1s"})
@DirtiesContext // stopped after the class: a cached scale would go on weighing beside later tests
@ExtendWith(OutputCaptureExtension.class)
class ScalePipelineTest {

    private static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("pipeline");
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        SETUP.broker.start();
        SETUP.register(registry);
    }

    @AfterAll
    static void stopBroker() {
        SETUP.broker.close();
    }

    @Autowired
    Scales scales;
    Hx711Simulator simulator;

    private MqttTestSubscriber subscriber;

    @BeforeEach
    void subscribe() {
        Scale scale = scales.all().get(0);
        simulator = scale.simulator().orElseThrow();
        simulator.setFault(Hx711Fault.NONE);
        simulator.setLoadKg(2.5);
        subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                "scale/" + ScaleBrokerSetup.DEVICE_ID + "/#");
    }

    @AfterEach
    void unsubscribe() {
        subscriber.close();
    }

    @Test
    void publishesTheKnownLoadAsTheDocumentedJsonWithAnUnbrokenSequence() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        List<JsonNode> weights = weights(3, Duration.ofSeconds(20));

        for (JsonNode weight : weights) {
            assertThat(fieldNames(weight)).containsExactly("deviceId", "weight", "unit", "timestamp", "seq", "raw",
                    "stable", "zeroShiftKg", "overload", "underload");
            assertThat(weight.get("zeroShiftKg").decimalValue()).as("no capacity set: no zero tracking")
                    .isEqualByComparingTo("0");
            assertThat(weight.get("overload").asBoolean()).isFalse();
            assertThat(weight.get("underload").asBoolean()).isFalse();
            assertThat(weight.get("deviceId").asText()).isEqualTo(ScaleBrokerSetup.DEVICE_ID);
            assertThat(weight.get("unit").asText()).isEqualTo("kg");
            // 2.5 kg on the original's calibration: 75353 + 2.5 * 12780 counts
            assertThat(weight.get("raw").asInt()).isEqualTo(107303);
            assertThat(weight.get("weight").decimalValue()).isEqualByComparingTo("2.500");
            assertThat(weight.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(Instant.parse(weight.get("timestamp").asText())).isBetween(before, Instant.now());
        }
        // unchanged load: only the heartbeat publishes, one seq after the other
        assertThat(weights.get(1).get("seq").asLong()).isEqualTo(weights.get(0).get("seq").asLong() + 1);
        assertThat(weights.get(2).get("seq").asLong()).isEqualTo(weights.get(1).get("seq").asLong() + 1);
    }

    @Test
    void aChangedLoadIsPublishedAtOnceWithTheNewWeight() throws Exception {
        weights(1, Duration.ofSeconds(20));
        simulator.setLoadKg(6.5);
        JsonNode changed = weights(1, Duration.ofSeconds(5)).get(0);
        assertThat(changed.get("weight").decimalValue()).isEqualByComparingTo("6.500");
        assertThat(changed.get("raw").asInt()).isEqualTo(75353 + 6 * 12780 + 12780 / 2);
    }

    @Test
    void aFaultySensorPublishesNoBogusWeightAndTheScaleRecovers(CapturedOutput output) throws Exception {
        weights(1, Duration.ofSeconds(20));
        int logBefore = output.getAll().length();
        // (ALL_ONES is not among them: 0xFFFFFF is -1 counts, a real value)
        for (Hx711Fault fault : new Hx711Fault[]{Hx711Fault.UNPLUGGED, Hx711Fault.STUCK_LOW,
                Hx711Fault.FLOATING_DOUT}) {
            simulator.setFault(fault);
            // a reading under way when the fault began may still complete and be published: the scale shows no
            // state that says it is done (its sensor status changes only for the first fault), so a grace period
            Thread.sleep(1_500);
            subscriber.clear();
            assertThat(weightsWithin(Duration.ofSeconds(3))).as("weights published with the sensor " + fault).isEmpty();
        }
        String logged = output.getAll().substring(logBefore);
        assertThat(logged).as("a failed poll in the fault's own words: what to check, on which pins").containsPattern(
                "WARN .*Failed polling endpoint: hx711://.*: HX711 on DOUT=BCM 5 \\(pin 29\\) / PD_SCK=BCM 6 \\(pin 31\\)"
                        + " did not signal data ready within \\d+ ms: check VCC/GND");
        assertThat(logged).as("one line each, no stack trace: the scale retries for as long as the fault lasts")
                .doesNotContain("\tat ", "Hx711NotReadyException", "Hx711Exception");
        simulator.setFault(Hx711Fault.NONE);
        simulator.setLoadKg(1000); // far beyond the 24-bit range: every sample saturates
        Thread.sleep(1_500); // the same grace period for a reading under way
        subscriber.clear();
        assertThat(weightsWithin(Duration.ofSeconds(3))).as("weights published while saturated").isEmpty();

        simulator.setLoadKg(2.5);
        // a spike every 10th read, as loose wires give them: up to 2 per reading, which the median of 5 drops
        Hx711SimulatorTesting.setSpikeEvery(simulator, 10);
        simulator.setFault(Hx711Fault.SPIKES);
        for (JsonNode weight : weights(3, Duration.ofSeconds(30))) {
            assertThat(weight.get("weight").decimalValue()).as("a spike got through").isEqualByComparingTo("2.500");
        }
        simulator.setFault(Hx711Fault.NONE);
    }

    /** The weights published during {@code period}, waited out whole: what is asserted is that none comes. */
    private List<JsonNode> weightsWithin(Duration period) throws Exception {
        Thread.sleep(period.toMillis());
        List<JsonNode> weights = new ArrayList<>();
        for (Received message : subscriber.pending()) {
            if (message.topic().equals(ScaleBrokerSetup.WEIGHT_TOPIC)) {
                weights.add(JSON.readTree(message.payload()));
            }
        }
        return weights;
    }

    @Test
    void announcesItselfOnlineOnTheRetainedStatusTopic() {
        Received status = next(ScaleBrokerSetup.STATUS_TOPIC, Duration.ofSeconds(20));
        assertThat(status.payloadText()).isEqualTo("online");
        assertThat(status.retained()).isTrue();
    }

    private List<JsonNode> weights(int count, Duration timeout) throws Exception {
        List<JsonNode> weights = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (weights.size() < count) {
            Received message = next(ScaleBrokerSetup.WEIGHT_TOPIC, Duration.ofNanos(deadline - System.nanoTime()));
            weights.add(JSON.readTree(message.payload()));
        }
        return weights;
    }

    private Received next(String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative()) {
                throw new AssertionError("nothing on " + topic + " within " + timeout);
            }
            Received message = subscriber.awaitOne(left);
            if (message.topic().equals(topic)) {
                return message;
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
