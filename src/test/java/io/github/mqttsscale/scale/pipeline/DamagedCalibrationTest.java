package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.monitoring.SensorHealth;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.weighing.CalibrationFile;
import io.github.mqttsscale.scale.weighing.CalibrationValues;

/**
 * A byte flipped in one scale's calibration file while the scale is stopped (an SD card error): it starts, publishes
 * no weight for that scale (none from the configured guess), and health, the status page and the log say which file,
 * what is wrong with it and how to calibrate again; the file is set aside for the user; the other scale goes on; after
 * a tare and a calibration the scale weighs again.
 */
@ExtendWith(OutputCaptureExtension.class)
class DamagedCalibrationTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("damaged-calibration");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "damaged-calibration-test";

    @Test
    void aScaleWithADamagedCalibrationStartsPublishesNoWeightSaysWhyAndWeighsAgainOnceCalibrated(
            CapturedOutput output) throws Exception {
        Path dataDir = SETUP.dir.resolve("data");
        Path keg1 = dataDir.resolve("keg-1");
        CalibrationFile file = new CalibrationFile(keg1);
        file.save(new CalibrationValues(75353, 12780));
        byte[] saved = Files.readAllBytes(file.path());
        saved[new String(saved, StandardCharsets.UTF_8).indexOf("offset=") + "offset=".length() + 1] ^= 0x01;
        Files.write(file.path(), saved);

        Map<String, String> settings = new HashMap<>();
        settings.put("scale.data-dir", dataDir.toString());
        settings.put("scale.sample-interval", "200ms");
        settings.put("scale.publish.min-change-kg", "0");
        settings.put("scale.scales[0].device-id", "keg-1");
        settings.put("scale.scales[0].simulator.load-kg", "10");
        settings.put("scale.scales[1].device-id", "keg-2");
        settings.put("scale.scales[1].hx711.data-pin", "17");
        settings.put("scale.scales[1].hx711.clock-pin", "27");
        settings.put("scale.scales[1].simulator.load-kg", "3");
        settings.put("spring.security.user.password", PASSWORD);
        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, "scale/+/weight");
                RunningScale scale = RunningScale.start(SETUP, settings)) {
            List<MqttTestSubscriber.Received> first = weights.await(8, WAIT);
            assertThat(first).as("the other scale goes on, this one publishes nothing")
                    .allSatisfy(received -> assertThat(received.topic()).isEqualTo("scale/keg-2/weight"));

            assertThat(file.path()).as("not used, not overwritten").doesNotExist();
            Path aside = keg1.resolve(CalibrationFile.FILE_NAME + ".damaged");
            assertThat(aside).as("kept for the user to look at").hasBinaryContent(saved);

            Health health = scale.bean(SensorHealth.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            @SuppressWarnings("unchecked")
            Map<String, Object> keg1Health = (Map<String, Object>) health.getDetails().get("keg-1");
            assertThat(keg1Health.get("calibration").toString()).contains(
                    "the calibration file " + file.path() + " is damaged",
                    "its check (line 1) does not match", "moved to " + aside, "No weight is published",
                    "{\"command\":\"tare\"}", "mqtts-scale calibrate");
            assertThat(health.getDetails().get("keg-2").toString()).doesNotContain("calibration=");

            JsonNode status = status(scale, "keg-1");
            assertThat(status.path("problems").path("calibration").asText()).contains(file.path() + " is damaged",
                    "mqtts-scale calibrate");
            assertThat(status.path("weight").isMissingNode()).as("no weight shown: " + status).isTrue();
            assertThat(status.path("calibration").path("trusted").asBoolean()).isFalse();
            assertThat(output.getOut().split("is damaged", -1)).as("said once in the log").hasSize(2);
            assertThat(output.getOut()).containsPattern("WARN .*Scale keg-1: the calibration file .* is damaged");

            assertThat(scale.command("keg-1", "{\"command\":\"simulate-load\",\"kg\":0}").get("ok").asBoolean())
                    .isTrue();
            JsonNode tared = scale.command("keg-1", "{\"command\":\"tare\"}");
            assertThat(tared.get("ok").asBoolean()).as(tared.toString()).isTrue();
            assertThat(tared.toString()).contains("now calibrate with a known weight");
            assertThat(file.path()).as("a tare alone is no calibration to save").doesNotExist();
            assertThat(scale.command("keg-1", "{\"command\":\"simulate-load\",\"kg\":2}").get("ok").asBoolean())
                    .isTrue();
            JsonNode calibrated = scale.command("keg-1", "{\"command\":\"calibrate\",\"knownWeightKg\":2.0}");
            assertThat(calibrated.get("ok").asBoolean()).as(calibrated.toString()).isTrue();

            weights.clear();
            JsonNode weighed = awaitWeightOn(weights, "scale/keg-1/weight");
            assertThat(weighed.get("weight").asDouble()).isCloseTo(2.0, within(0.005));
            assertThat(scale.bean(SensorHealth.class).health().getStatus()).isEqualTo(Status.UP);
            assertThat(status(scale, "keg-1").path("problems").has("calibration")).isFalse();
            assertThat(status(scale, "keg-1").path("calibration").path("trusted").asBoolean()).isTrue();
            assertThat(file.load()).as("the new calibration is saved").isPresent();
            assertThat(aside).exists();
        }
    }

    private static JsonNode status(RunningScale scale, String deviceId) throws Exception {
        String base = "http://localhost:" + scale.bean(Environment.class).getProperty("local.server.port");
        String login = "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return JSON.readTree(HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(base + "/api/status?scale=" + deviceId))
                        .header("Authorization", login).build(), BodyHandlers.ofString())
                .body());
    }

    private static JsonNode awaitWeightOn(MqttTestSubscriber weights, String topic) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            MqttTestSubscriber.Received received = weights.awaitOne(WAIT);
            if (received.topic().equals(topic)) {
                return JSON.readTree(received.payload());
            }
        }
        throw new AssertionError("no weight on " + topic + " within " + WAIT);
    }
}
