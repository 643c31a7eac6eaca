package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711Fault;
import io.github.mqttsscale.hx711.Hx711Gain;
import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.hx711.Hx711SimulatorTesting;
import io.github.mqttsscale.scale.operations.ScaleOperations;
import io.github.mqttsscale.scale.testsupport.HeadlessChromium;
import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * The running scale from the web side: the status page in a real headless Chromium (log in, live weight, Tare),
 * the same operations through Jolokia as Hawtio calls them, health going DOWN and back UP with the sensor and the
 * broker, and the Prometheus metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scale.simulator.load-kg=1.5", "spring.security.user.password=" + ScaleWebTest.PASSWORD,
        "spring.jmx.enabled=true"})
@AutoConfigureObservability(tracing = false)
// its MBeans (JMX is on, for Jolokia) must be gone before another application in this JVM registers the same names
@DirtiesContext
class ScaleWebTest {

    static final String PASSWORD = "web-test-password";
    @RegisterExtension
    static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("web");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        SETUP.startAndRegister(registry);
    }

    @LocalServerPort
    int port;
    @Autowired
    Scales scales;
    Hx711Simulator simulator;
    Calibration calibration;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void theOneScale() {
        Scale scale = scales.all().get(0);
        simulator = scale.simulator().orElseThrow();
        calibration = scale.calibration();
    }

    @Test
    void theStatusPageShowsTheLiveWeightAndItsTareButtonBringsItToZero() throws Exception {
        simulator.setLoadKg(4.25);
        // shown rounded to the default division, 0.001 kg
        String expected = calibration.toKilograms(Hx711SimulatorTesting.expectedCounts(simulator, Hx711Gain.A128))
                .setScale(3, RoundingMode.HALF_UP).toPlainString();
        assertThat(new BigDecimal(expected).signum()).as("a load to tare").isPositive();

        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.logIn(url("/"), "admin", PASSWORD, WAIT);

            browser.await("document.getElementById('weight') && document.getElementById('weight').textContent",
                    text(expected), WAIT);
            browser.await("document.getElementById('broker-state').textContent", text("connected"), WAIT);
            browser.await("document.getElementById('stable').textContent", text("stable"), WAIT);
            browser.await("document.getElementById('waiting-in-outbox').textContent", text("0"), WAIT);
            browser.await("Number(document.getElementById('published').textContent) > 0", JsonNode::asBoolean, WAIT);
            browser.await("document.getElementById('plot-line').getAttribute('points').split(' ').length > 1",
                    JsonNode::asBoolean, WAIT);

            browser.evaluate("document.getElementById('tare').click(); true");
            browser.await("document.getElementById('weight').textContent", text("0.000"), WAIT);
            browser.await("document.getElementById('result').textContent", value -> value.asText().startsWith("tared"),
                    WAIT);

            // settled at zero after the tare, then half a kilogram put on: a weight event
            browser.await("document.getElementById('stable').textContent", text("stable"), WAIT);
            simulator.setLoadKg(4.75);
            browser.await("document.getElementById('last-event').textContent",
                    value -> value.asText().startsWith("added 0.500 kg at "), WAIT);
            Files.write(SETUP.dir.resolve("status-page.png"), browser.screenshot());
        }
    }

    @Test
    void hawtioReachesTheOperationsThroughJolokia() throws Exception {
        JsonNode simulated = jolokia("{\"type\":\"exec\",\"mbean\":\"" + ScaleOperations.OBJECT_NAME
                + "\",\"operation\":\"simulateLoad\",\"arguments\":[3.25]}");
        assertThat(simulated.get("status").asInt()).as(simulated.toString()).isEqualTo(200);
        assertThat(simulator.getLoadKg()).isEqualTo(3.25);

        JsonNode tared = jolokia("{\"type\":\"exec\",\"mbean\":\"" + ScaleOperations.OBJECT_NAME
                + "\",\"operation\":\"tare\"}");
        assertThat(tared.path("value").asText()).as(tared.toString()).startsWith("tared");
        assertThat(calibration.toKilograms(Hx711SimulatorTesting.expectedCounts(simulator, Hx711Gain.A128)))
                .isEqualByComparingTo("0");

        JsonNode refused = jolokia("{\"type\":\"exec\",\"mbean\":\"" + ScaleOperations.OBJECT_NAME
                + "\",\"operation\":\"calibrate\",\"arguments\":[-1.5]}");
        assertThat(refused.path("status").asInt()).as(refused.toString()).isNotEqualTo(200);
        assertThat(refused.toString()).contains("above 0 kg");

        // the minutes as Hawtio's form sends them, as text (Jolokia refuses to make a JSON integer a Double)
        JsonNode noSensor = jolokia("{\"type\":\"exec\",\"mbean\":\"" + ScaleOperations.OBJECT_NAME
                + "\",\"operation\":\"learnTemperature\",\"arguments\":[\"60\"]}");
        assertThat(noSensor.toString()).as("refused with the reason").contains("needs a temperature sensor");
    }

    @Test
    void healthFollowsTheSensorAndTheBroker() throws Exception {
        awaitHealth("sensor", "UP");
        awaitHealth("broker", "UP");

        simulator.setFault(Hx711Fault.UNPLUGGED);
        try {
            JsonNode down = awaitHealth("sensor", "DOWN");
            assertThat(down.path("details").path("reason").asText()).contains("data ready");
            HttpResponse<String> tare = http.send(basic(request("/api/tare"))
                    .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
            assertThat(tare.statusCode()).isEqualTo(409);
            assertThat(tare.body()).contains("sensor not ready");
        } finally {
            simulator.setFault(Hx711Fault.NONE);
        }
        awaitHealth("sensor", "UP");

        SETUP.broker.stop();
        try {
            JsonNode down = awaitHealth("broker", "DOWN");
            assertThat(down.path("details").path("reason").asText()).isNotBlank();
            HttpResponse<String> overall = http.send(request("/actuator/health").build(), BodyHandlers.ofString());
            assertThat(overall.statusCode()).isEqualTo(503);
        } finally {
            SETUP.broker.start();
        }
        awaitHealth("broker", "UP");
    }

    @Test
    void prometheusShowsReadingsRejectionsAndPublishesBehindTheLogin() throws Exception {
        assertThat(http.send(request("/actuator/prometheus").build(), BodyHandlers.ofString()).statusCode())
                .isEqualTo(401);
        AtomicReference<String> scraped = new AtomicReference<>("");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            scraped.set(http.send(basic(request("/actuator/prometheus")).build(), BodyHandlers.ofString()).body());
            assertThat(scraped.get()).containsPattern("scale_published_total\\{source=\"live\"} [1-9]");
        });
        String metrics = scraped.get();
        assertThat(metrics).containsPattern("scale_readings_total\\{scale=\"test-scale\"} [1-9]")
                .contains("scale_samples_rejected_total{reason=\"timing\",scale=\"test-scale\"}",
                        "scale_samples_rejected_total{reason=\"saturated\",scale=\"test-scale\"}")
                .containsPattern("scale_published_total\\{source=\"live\"} [1-9]")
                .contains("scale_published_total{source=\"outbox\"}", "scale_outbox_waiting",
                        "scale_outbox_dropped_total")
                .containsPattern("scale_publish_latency_seconds_count [1-9]")
                .contains("scale_weight_kg{scale=\"test-scale\"}");
    }

    private JsonNode awaitHealth(String component, String state) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> health = http.send(basic(request("/actuator/health")).build(),
                    BodyHandlers.ofString());
            last.set(JSON.readTree(health.body()).path("components").path(component));
            assertThat(last.get().path("status").asText()).as("%s: %s", component, last.get()).isEqualTo(state);
        });
        return last.get();
    }

    private JsonNode jolokia(String body) throws Exception {
        HttpResponse<String> response = http.send(basic(request("/actuator/jolokia"))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(body)).build(),
                BodyHandlers.ofString());
        return JSON.readTree(response.body()); // Jolokia's own status is in the body
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url(path)));
    }

    private static HttpRequest.Builder basic(HttpRequest.Builder request) {
        return request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static Predicate<JsonNode> text(String expected) {
        return value -> expected.equals(value.asText());
    }
}
