package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.monitoring.SensorHealth;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/**
 * Three simulated scales in one process, against a real broker over TLS, each with its own division and capacity:
 * a non-linear cell calibrated with several known weights over MQTT, a creeping empty scale whose zero is tracked
 * (and a load that is not), and a scale overloaded, underloaded and driven to the HX711's rails.
 */
class WeightsStayTrueTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("weights-stay-true");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void multiPointCalibrationZeroTrackingAndTheCapacityFlags() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("scale.data-dir", SETUP.dir.resolve("stay-true").toString());
        settings.put("scale.capacity-kg", "10");
        settings.put("scale.publish.min-change-kg", "0.001");
        settings.put("scale.publish.heartbeat", "1s");
        settings.put("scale.scales[0].device-id", "keg");
        settings.put("scale.scales[0].division-kg", "0.005");
        settings.put("scale.scales[0].simulator.load-kg", "0");
        settings.put("scale.scales[0].simulator.nonlinearity", "0.01");
        settings.put("scale.scales[0].simulator.full-scale-kg", "10");
        settings.put("scale.scales[1].device-id", "hive");
        settings.put("scale.scales[1].division-kg", "0.002");
        settings.put("scale.scales[1].hx711.data-pin", "17");
        settings.put("scale.scales[1].hx711.clock-pin", "27");
        settings.put("scale.scales[1].simulator.load-kg", "0");
        settings.put("scale.scales[1].simulator.creep-kg-per-hour", "0.36");
        settings.put("scale.scales[2].device-id", "bin");
        settings.put("scale.scales[2].hx711.data-pin", "22");
        settings.put("scale.scales[2].hx711.clock-pin", "23");
        settings.put("scale.scales[2].simulator.load-kg", "0");
        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, "scale/+/weight");
                RunningScale scale = RunningScale.start(SETUP, settings)) {
            for (String deviceId : new String[]{"keg", "hive", "bin"}) {
                assertThat(scale.command(deviceId, "{\"command\":\"tare\"}").get("ok").asBoolean()).isTrue();
            }

            // the creeping empty hive scale: its zero follows, the published weight stays at zero
            long trackedFrom = System.nanoTime();
            weights.clear();
            Hx711Simulator keg = scale.scale("keg").simulator().orElseThrow();
            keg.setLoadKg(10);
            JsonNode calibrated = scale.command("keg", "{\"command\":\"calibrate\",\"knownWeightKg\":10}");
            assertThat(calibrated.get("ok").asBoolean()).as(calibrated.toString()).isTrue();
            keg.setLoadKg(5);
            assertThat(settledWeight(weights, "keg", 5.1)).as("two-point: the 1 % bend is 100 g at 5 kg")
                    .isCloseTo(5.1, within(0.0051));
            for (double known : new double[]{2.5, 5, 7.5}) {
                keg.setLoadKg(known);
                JsonNode added = scale.command("keg",
                        "{\"command\":\"calibrate\",\"knownWeightKg\":" + known + ",\"add\":true}");
                assertThat(added.get("ok").asBoolean()).as(added.toString()).isTrue();
            }
            assertThat(scale.command("keg", "{\"command\":\"calibration\"}").get("reason").asText())
                    .contains("2.5 kg at", "5.0 kg at", "7.5 kg at", "10.0 kg at");
            for (double load : new double[]{3.75, 6.25}) {
                keg.setLoadKg(load);
                assertThat(settledWeight(weights, "keg", load)).as("within 2 divisions at " + load + " kg")
                        .isCloseTo(load, within(0.0101));
            }

            for (MqttTestSubscriber.Received received : weights.pending()) {
                if (received.topic().equals("scale/hive/weight")) {
                    JsonNode hive = JSON.readTree(received.payload());
                    assertThat(hive.get("weight").asDouble()).as("the creeping empty scale: " + hive)
                            .isCloseTo(0, within(0.001));
                }
            }
            double creptKg = 0.36 / 3600 * (System.nanoTime() - trackedFrom) / 1e9;
            JsonNode hiveNow = latest(weights, "hive");
            assertThat(hiveNow.get("weight").asDouble()).isCloseTo(0, within(0.001));
            assertThat(hiveNow.get("zeroShiftKg").asDouble()).as("the zero followed the creep of %.4f kg", creptKg)
                    .isCloseTo(creptKg, within(0.002));
            scale.scale("hive").simulator().orElseThrow().setLoadKg(2);
            assertThat(settledWeight(weights, "hive", 2)).as("a load is not tracked away").isCloseTo(2, within(0.004));

            // the bin: over capacity, below zero, at the rails
            Hx711Simulator bin = scale.scale("bin").simulator().orElseThrow();
            bin.setLoadKg(12);
            JsonNode overloaded = settled(weights, "bin", 12);
            assertThat(overloaded.get("overload").asBoolean()).as(overloaded.toString()).isTrue();
            assertThat(scale.scale("bin").problems().now()).containsKey("overload");
            assertThat(sensorDetails(scale, "bin")).contains("overload: 12.000 kg on a scale of 10 kg");
            bin.setLoadKg(-1);
            JsonNode underloaded = settled(weights, "bin", -1);
            assertThat(underloaded.get("underload").asBoolean()).as(underloaded.toString()).isTrue();
            assertThat(underloaded.get("overload").asBoolean()).isFalse();
            await("the overload problem ends").atMost(WAIT)
                    .until(() -> !scale.scale("bin").problems().now().containsKey("overload"));
            bin.setLoadKg(1000); // beyond what the HX711 converts: every sample at 0x7FFFFF
            await("the rails said as a problem").atMost(WAIT)
                    .until(() -> sensorDetails(scale, "bin").contains("reads at its limits"));
            assertThat(scale.scale("bin").problems().now()).containsKey("saturated");
            bin.setLoadKg(0);
            await("the rails problem ends").atMost(WAIT)
                    .until(() -> !scale.scale("bin").problems().now().containsKey("saturated"));
        }
    }

    /** The next weight of that scale within 0.25 kg of {@code kg} that is stable. */
    private static double settledWeight(MqttTestSubscriber weights, String deviceId, double kg) throws Exception {
        return settled(weights, deviceId, kg).get("weight").asDouble();
    }

    private static JsonNode settled(MqttTestSubscriber weights, String deviceId, double kg) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            MqttTestSubscriber.Received received = weights.awaitOne(WAIT);
            JsonNode payload = JSON.readTree(received.payload());
            if (received.topic().equals("scale/" + deviceId + "/weight") && payload.get("stable").asBoolean()
                    && Math.abs(payload.get("weight").asDouble() - kg) < 0.25) {
                return payload;
            }
        }
        throw new AssertionError("no stable weight near " + kg + " kg from " + deviceId + " within " + WAIT);
    }

    private static JsonNode latest(MqttTestSubscriber weights, String deviceId) throws Exception {
        return settled(weights, deviceId, 0);
    }

    private static String sensorDetails(RunningScale scale, String deviceId) {
        return String.valueOf(scale.bean(SensorHealth.class).health().getDetails().get(deviceId));
    }
}
