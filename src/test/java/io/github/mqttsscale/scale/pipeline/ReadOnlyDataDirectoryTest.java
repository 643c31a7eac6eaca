package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.ReadOnlyDisk;
import io.github.mqttsscale.scale.testsupport.HeadlessChromium;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/**
 * The scale started on a read-only data directory ({@link ReadOnlyDisk}: every change to it fails as on a read-only
 * mount). It used to stop the start (the outbox could not open its journal), so systemd restarted it every 15 s and
 * nothing was published. Now it publishes live with an increasing seq, health says what is lost and how to fix it,
 * the status page shows the same text as a warning, and a tare is refused with that reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scale.simulator.load-kg=2.5", "scale.publish.min-change-kg=0",
        "spring.security.user.password=" + ReadOnlyDataDirectoryTest.PASSWORD})
@DirtiesContext
class ReadOnlyDataDirectoryTest {

    static final String PASSWORD = "read-only-test-password";
    @RegisterExtension
    static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("read-only");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long STARTED = System.currentTimeMillis();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        SETUP.startAndRegister(registry);
    }

    @TestConfiguration
    static class ReadOnlyDataDirectory {
        @Bean
        @Primary
        Disk readOnlyDisk() {
            return new ReadOnlyDisk();
        }
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private static String expectedProblem() {
        Path dataDir = SETUP.dir.resolve("data").toAbsolutePath();
        return "data directory " + dataDir + " is read-only: readings are published live only, and none are kept while "
                + "the broker is away, until it can be written (tried "
                + "again every minute); seq is kept in memory only (after a "
                + "restart it goes on from the clock, in milliseconds since 1970: it jumps ahead, and still never goes "
                + "back); check the disk or its mount (a disk or SD card with errors is remounted read-only)";
    }

    @Test
    void startsAndPublishesLiveWithHealthAndTheStatusPageSayingWhatIsLost() throws Exception {
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC)) {
            List<Long> seqs = subscriber.await(5, WAIT).stream()
                    .map(message -> readTree(message.payloadText()).path("seq").asLong()).toList();
            assertThat(seqs).as("live, increasing, from the clock (a restart cannot repeat them)").isSorted()
                    .doesNotHaveDuplicates().allMatch(seq -> seq >= STARTED);
        }

        JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url("/actuator/health")))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build(), BodyHandlers.ofString()).body()).path("components").path("storage");
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("details").path("reason").asText()).isEqualTo(expectedProblem());

        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.logIn(url("/"), "admin", PASSWORD, WAIT);
            browser.await("!!document.getElementById('storage-problem')"
                    + " && document.getElementById('storage-problem').checkVisibility()"
                    + " && document.getElementById('storage-problem').textContent",
                    value -> expectedProblem().equals(value.asText()), WAIT);
            assertThat(browser.evaluate("getComputedStyle(document.getElementById('storage-problem')).backgroundColor")
                    .asText()).as("set off from the page").isNotEqualTo("rgba(0, 0, 0, 0)");

            browser.evaluate("document.getElementById('tare').click(); true");
            browser.await("document.getElementById('result').textContent", value -> value.asText().startsWith(
                    "Not done: data directory " + SETUP.dir.resolve("data").toAbsolutePath()
                            + " is read-only: tare and "
                            + "calibration cannot be saved, so they are refused"),
                    WAIT);
            Files.write(SETUP.dir.resolve("read-only-status-page.png"), browser.screenshot());
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
