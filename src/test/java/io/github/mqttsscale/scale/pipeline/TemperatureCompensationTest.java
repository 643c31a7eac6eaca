package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.testsupport.HeadlessChromium;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.weighing.TemperatureModel;

/**
 * Temperature compensation against the real broker over TLS, with the simulator's thermometer (scale.temperature.source
 * simulated) beside a simulated cell whose zero drifts 4 g/°C with a cell lagging the air by 5 s, the air cycling
 * 20 ± 8 °C every minute (a day squeezed into a minute, so that a test sees whole cycles; the weight swings ±28 g),
 * read once a second: each reading carries the temperature, a model takes the swing off, and learn-temperature finds
 * the model, or refuses with the reason.
 */
class TemperatureCompensationTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("temperature-compensation");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PERIOD = Duration.ofSeconds(60);
    /** Half a cycle: from any start it spans at least the amplitude of the swing. */
    private static final Duration HALF_PERIOD = PERIOD.dividedBy(2);
    private static final double DRIFT_KG_PER_C = 0.004;
    private static final Duration CELL_LAG = Duration.ofSeconds(5);
    private static final double LOAD_KG = 2.5;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "temperature-test";

    @Test
    void eachReadingCarriesTheTemperatureAndTheModelTakesTheSwingOff() throws Exception {
        Map<String, String> settings = twoScales();
        // keg-1 knows its cell's model; keg-2, the same cell, has none
        settings.put("scale.scales[0].temperature.zero-drift-kg-per-c", String.valueOf(DRIFT_KG_PER_C));
        settings.put("scale.scales[0].temperature.lag", "5s");
        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, "scale/+/weight");
                RunningScale scale = RunningScale.start(SETUP, settings)) {
            cycle(scale.scale("keg-1").simulator().orElseThrow(), 8);
            cycle(scale.scale("keg-2").simulator().orElseThrow(), 8);
            settle(weights);

            Map<String, List<JsonNode>> halfCycle = weightsOver(weights, HALF_PERIOD);
            List<JsonNode> compensated = halfCycle.get("scale/keg-1/weight");
            List<JsonNode> uncompensated = halfCycle.get("scale/keg-2/weight");
            assertThat(spread(uncompensated, "weight")).as("the swing without a model").isGreaterThan(0.020);
            assertThat(compensated).as("published at the heartbeat at least").hasSizeGreaterThan(10)
                    .allSatisfy(reading -> assertThat(reading.get("weight").asDouble()).as(reading.toString())
                            .isCloseTo(LOAD_KG, within(0.003)));
            assertThat(spread(compensated, "temperatureC")).as("the air's cycle, in each reading").isGreaterThan(6);
            assertThat(spread(uncompensated, "temperatureC")).isGreaterThan(6);

            assertTheStatusPageShowsTheTemperatureAndStartsLearning(scale);
        }
    }

    @Test
    void learnTemperatureFindsTheCellsModelAndAppliesIt() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("scale.temperature.source", "simulated");
        settings.put("scale.temperature.read-interval", "1s");
        settings.put("scale.publish.heartbeat", "500ms");
        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                MqttTestSubscriber results = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        ScaleBrokerSetup.RESULT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, settings)) {
            cycle(scale.scale().simulator().orElseThrow(), 8);
            settle(weights);

            send(scale, ScaleBrokerSetup.DEVICE_ID, "{\"command\":\"learn-temperature\",\"minutes\":1.0}");
            JsonNode started = JSON.readTree(results.awaitOne(WAIT).payload());
            assertThat(started.get("ok").asBoolean()).as(started.toString()).isTrue();
            assertThat(started.get("reason").asText()).contains("over 1 min, until ");

            JsonNode learned = JSON.readTree(results.awaitOne(PERIOD.plus(WAIT)).payload());
            assertThat(learned.get("command").asText()).isEqualTo("learn-temperature");
            assertThat(learned.get("ok").asBoolean()).as(learned.toString()).isTrue();
            assertThat(learned.get("zeroDriftKgPerC").asDouble()).as(learned.toString()).isCloseTo(DRIFT_KG_PER_C,
                    within(0.0004));
            assertThat(learned.get("lagSeconds").asDouble()).as(learned.toString()).isCloseTo(5, within(1.0));
            assertThat(learned.get("rSquared").asDouble()).isGreaterThan(0.99);
            assertThat(learned.get("residualKg").asDouble()).isLessThan(0.002);
            assertThat(learned.get("temperatureMinC").asDouble()).isLessThan(14);
            assertThat(learned.get("temperatureMaxC").asDouble()).isGreaterThan(26);
            assertThat(learned.get("referenceC").asDouble()).isEqualTo(20);
            TemperatureModel applied = scale.scale().calibration().values().temperature();
            assertThat(applied).as("learned, applied and saved with the calibration").isNotNull();
            assertThat(applied.zeroDriftKgPerC()).isEqualTo(learned.get("zeroDriftKgPerC").asDouble());

            weights.clear();
            assertThat(weightsOver(weights, HALF_PERIOD).get(ScaleBrokerSetup.WEIGHT_TOPIC))
                    .as("compensated with the learned model, half a cycle").hasSizeGreaterThan(10)
                    .allSatisfy(reading -> assertThat(reading.get("weight").asDouble()).as(reading.toString())
                            .isCloseTo(LOAD_KG, within(0.003)));
        }
    }

    @Test
    void learnTemperatureRefusesWithTheReason() throws Exception {
        Map<String, String> settings = twoScales();
        settings.put("scale.scales[1].temperature.source", "none");
        try (MqttTestSubscriber results = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                "scale/+/command/result");
                RunningScale scale = RunningScale.start(SETUP, settings)) {
            Hx711Simulator simulator = scale.scale("keg-1").simulator().orElseThrow();

            send(scale, "keg-2", "{\"command\":\"learn-temperature\",\"minutes\":10}");
            JsonNode noSensor = JSON.readTree(results.awaitOne(WAIT).payload());
            assertThat(noSensor.get("ok").asBoolean()).isFalse();
            assertThat(noSensor.get("reason").asText()).contains("needs a temperature sensor")
                    .contains("scale.temperature.source");
            send(scale, "keg-1", "{\"command\":\"learn-temperature\"}");
            assertThat(JSON.readTree(results.awaitOne(WAIT).payload()).get("reason").asText())
                    .startsWith("minutes is missing");
            HttpResponse<String> fromTheStatusPage = http(scale, "/api/learn-temperature?scale=keg-2&minutes=10",
                    true);
            assertThat(fromTheStatusPage.statusCode()).isEqualTo(409);
            assertThat(fromTheStatusPage.body()).contains("needs a temperature sensor");
            assertThat(JSON.readTree(http(scale, "/api/status?scale=keg-2", false).body()).has("temperature"))
                    .as("no temperature on the status page of a scale without a sensor").isFalse();

            // a cycle of 1 °C from peak to peak
            cycle(simulator, 0.5);
            assertThat(learn(scale, results, 0.25).get("reason").asText()).startsWith("the temperature moved only")
                    .contains("at least 2 °C");

            cycle(simulator, 8);
            // half a cycle, so that the temperature moves far more than 2 °C
            send(scale, "keg-1", "{\"command\":\"learn-temperature\",\"minutes\":0.5}");
            assertThat(JSON.readTree(results.awaitOne(WAIT).payload()).get("ok").asBoolean()).isTrue();
            // halfway through, 100 g more on the scale; no waiting on a condition: the time is what is tested
            Thread.sleep(HALF_PERIOD.dividedBy(2).toMillis());
            simulator.setLoadKg(LOAD_KG + 0.1);
            JsonNode loadChanged = JSON.readTree(results.awaitOne(HALF_PERIOD.plus(WAIT)).payload());
            assertThat(loadChanged.get("ok").asBoolean()).as(loadChanged.toString()).isFalse();
            assertThat(loadChanged.get("reason").asText()).startsWith("the load changed while learning: by 0.");
            assertThat(scale.scale("keg-1").calibration().values().temperature()).as("nothing learned").isNull();
        }
    }

    /**
     * The status page (in a real headless Chromium) shows keg-1's temperature, its cell's and its model, and its form
     * starts learn-temperature.
     */
    private static void assertTheStatusPageShowsTheTemperatureAndStartsLearning(RunningScale scale) throws Exception {
        JsonNode status = JSON.readTree(http(scale, "/api/status?scale=keg-1", false).body());
        assertThat(status.get("temperature").get("measuredC").asDouble()).isBetween(11.0, 29.0);
        assertThat(status.get("temperature").get("model").asText())
                .isEqualTo("0.004 kg/°C, lag 5 s, reference 20 °C (scale.temperature.*)");
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.logIn(base(scale) + "/#keg-1", "admin", PASSWORD, WAIT);
            browser.await("document.getElementById('temperature').hidden === false "
                    + "&& document.getElementById('temperature-measured').textContent !== '–'", JsonNode::asBoolean,
                    WAIT);
            browser.evaluate("document.getElementById('learn-minutes').value = '0.5'; "
                    + "document.querySelector('#learn-temperature button').click(); true");
            browser.await("document.getElementById('result').textContent",
                    value -> value.asText().startsWith("learning how the weight moves"), WAIT);
            browser.await("document.getElementById('temperature-learning').textContent",
                    value -> value.asText().startsWith("learning until"), WAIT);
        }
    }

    private static HttpResponse<String> http(RunningScale scale, String path, boolean post) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(scale) + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        return HttpClient.newHttpClient().send(post ? request.POST(BodyPublishers.noBody()).build() : request.build(),
                BodyHandlers.ofString());
    }

    private static String base(RunningScale scale) {
        return "http://localhost:" + scale.bean(Environment.class).getProperty("local.server.port");
    }

    /** Learns on keg-1 for {@code minutes} and returns the second answer, after checking the first. */
    private static JsonNode learn(RunningScale scale, MqttTestSubscriber results, double minutes) throws Exception {
        // learning needs a temperature read: the route read-temperature reads its first a moment after the start
        await().atMost(WAIT).until(() -> scale.scale("keg-1").temperature().measuredC().isPresent());
        send(scale, "keg-1", "{\"command\":\"learn-temperature\",\"minutes\":" + minutes + "}");
        JsonNode started = JSON.readTree(results.awaitOne(WAIT).payload());
        assertThat(started.get("ok").asBoolean()).as(started.toString()).isTrue();
        JsonNode ended = JSON.readTree(results.awaitOne(Duration.ofMillis(Math.round(minutes * 60_000)).plus(WAIT))
                .payload());
        assertThat(ended.get("command").asText()).isEqualTo("learn-temperature");
        assertThat(ended.get("ok").asBoolean()).as(ended.toString()).isFalse();
        return ended;
    }

    /** Two simulated scales, both with the simulator's thermometer, publishing at least twice a second. */
    private static Map<String, String> twoScales() {
        Map<String, String> settings = new HashMap<>();
        settings.put("scale.scales[0].device-id", "keg-1");
        settings.put("scale.scales[1].device-id", "keg-2");
        settings.put("scale.scales[1].hx711.data-pin", "17");
        settings.put("scale.scales[1].hx711.clock-pin", "27");
        settings.put("scale.temperature.source", "simulated");
        settings.put("scale.temperature.read-interval", "1s");
        settings.put("scale.publish.heartbeat", "500ms");
        settings.put("spring.security.user.password", PASSWORD);
        return settings;
    }

    /** The air cycles 20 ± {@code amplitudeC} °C every {@link #PERIOD}; the cell follows, its zero drifting. */
    private static void cycle(Hx711Simulator simulator, double amplitudeC) {
        simulator.setAmbientMeanC(20);
        simulator.setAmbientAmplitudeC(amplitudeC);
        simulator.setAmbientPeriod(PERIOD);
        simulator.setCellLag(CELL_LAG);
        simulator.setZeroDriftKgPerC(DRIFT_KG_PER_C);
        simulator.settleCellTemperature();
    }

    /**
     * Lets the scale's own estimate of the cell's temperature, which started when the cycle did not run yet, catch up
     * (a few lags) and forgets the weights until then.
     */
    private static void settle(MqttTestSubscriber weights) throws InterruptedException {
        // the estimate converges with time, nothing to await but the time itself
        Thread.sleep(CELL_LAG.multipliedBy(3).toMillis());
        weights.clear();
    }

    /** The weights published over {@code span}, by topic. */
    private static Map<String, List<JsonNode>> weightsOver(MqttTestSubscriber weights, Duration span)
            throws Exception {
        Map<String, List<JsonNode>> byTopic = new HashMap<>();
        long end = System.nanoTime() + span.toNanos();
        while (System.nanoTime() < end) {
            MqttTestSubscriber.Received received;
            try {
                received = weights.awaitOne(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            } catch (AssertionError nothingMore) {
                break;
            }
            byTopic.computeIfAbsent(received.topic(), topic -> new ArrayList<>())
                    .add(JSON.readTree(received.payload()));
        }
        return byTopic;
    }

    private static double spread(List<JsonNode> readings, String field) {
        assertThat(readings).as("readings").isNotEmpty();
        assertThat(readings).allSatisfy(reading -> assertThat(reading.has(field)).as(reading.toString()).isTrue());
        double lowest = readings.stream().mapToDouble(reading -> reading.get(field).asDouble()).min().orElseThrow();
        double highest = readings.stream().mapToDouble(reading -> reading.get(field).asDouble()).max().orElseThrow();
        return highest - lowest;
    }

    private static void send(RunningScale scale, String deviceId, String command) throws Exception {
        scale.send("scale/" + deviceId + "/command", command);
    }
}
