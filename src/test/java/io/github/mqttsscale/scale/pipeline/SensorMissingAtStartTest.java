package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711Chips;
import io.github.mqttsscale.hx711.Hx711Settings;
import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.monitoring.SensorHealth;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/**
 * Two scales whose HX711s cannot be opened (scale.sensor=hx711 on a machine without GPIO, as a Pi whose pins another
 * program holds): the scale starts all the same, connects, answers commands with the reason, names it in health,
 * and tries the routes again; nothing is published as a weight. One of two that cannot be opened leaves the other
 * weighing.
 */
class SensorMissingAtStartTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("sensor-missing");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void scalesWhoseSensorCannotBeOpenedSaySoAndTheProcessRunsOn() throws Exception {
        try (MqttTestSubscriber status = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.STATUS_TOPIC);
                MqttTestSubscriber results = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        "scale/keg-2/command/result");
                MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, "scale/+/weight");
                RunningScale scale = RunningScale.start(SETUP, twoKegs("scale.sensor", "hx711"))) {
            awaitOnline(status);

            JsonNode answer = tare(scale, "keg-2", results);
            assertThat(answer.get("ok").asBoolean()).isFalse();
            assertThat(answer.get("reason").asText()).as(answer.toString())
                    .contains("sensor not ready: the route weigh-and-publish-keg-2 cannot start");

            Health health = scale.bean(SensorHealth.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("keg-1").toString()).contains("cannot start");
            assertThat(health.getDetails().get("keg-2").toString()).contains("cannot start");
            weights.assertNothingWithin(Duration.ofSeconds(2));
        }
    }

    @Test
    void aScaleWhoseSensorCannotBeOpenedLeavesTheOtherWeighing() throws Exception {
        try (MqttTestSubscriber status = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.STATUS_TOPIC);
                MqttTestSubscriber sensors = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, "scale/+/sensor");
                MqttTestSubscriber results = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        "scale/keg-1/command/result");
                MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, "scale/+/weight");
                RunningScale scale = RunningScale.start(SETUP, twoKegs("scale.publish.min-change-kg", "0"),
                        SensorMissingAtStartTest::keg2OnItsGpioPins)) {
            awaitOnline(status);
            assertThat(weights.awaitOne(WAIT).topic()).isEqualTo("scale/keg-1/weight");

            JsonNode answer = tare(scale, "keg-1", results);
            assertThat(answer.get("ok").asBoolean()).as(answer.toString()).isTrue();

            Health health = scale.bean(SensorHealth.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("keg-2").toString()).contains("cannot start",
                    "Cannot open the HX711's lines DOUT=BCM 17 (pin 11) / PD_SCK=BCM 27 (pin 13)", "group gpio");
            assertThat(health.getDetails().get("keg-1").toString()).doesNotContain("cannot start");
            // each sensor's state once it is known, and nothing before: keg-1 online at its first samples, keg-2
            // offline after its grace period; no "offline" while the routes were starting, no "online" for keg-2
            await("both sensors' states").atMost(WAIT).until(() -> published(sensors).size() == 2);
            Thread.sleep(2_000); // waited out whole: no other state may follow
            assertThat(published(sensors)).isEqualTo(Map.of("scale/keg-1/sensor", List.of("online"),
                    "scale/keg-2/sensor", List.of("offline")));
            weights.clear();
            for (int i = 0; i < 5; i++) {
                assertThat(weights.awaitOne(WAIT).topic()).as("keg-1 weighs on, keg-2 publishes nothing")
                        .isEqualTo("scale/keg-1/weight");
            }
        }
    }

    /** The states published since the subscription, by topic (those retained before it left out). */
    private static Map<String, List<String>> published(MqttTestSubscriber sensors) {
        return sensors.pending().stream().filter(received -> !received.retained())
                .collect(Collectors.groupingBy(MqttTestSubscriber.Received::topic, TreeMap::new,
                        Collectors.mapping(MqttTestSubscriber.Received::payloadText, Collectors.toList())));
    }

    /** keg-1 on the default pins, keg-2 on BCM 17 and 27, and one more setting. */
    private static Map<String, String> twoKegs(String setting, String value) {
        return Map.of("scale.scales[0].device-id", "keg-1", "scale.scales[1].device-id", "keg-2",
                "scale.scales[1].hx711.data-pin", "17", "scale.scales[1].hx711.clock-pin", "27", setting, value);
    }

    private static JsonNode tare(RunningScale scale, String deviceId, MqttTestSubscriber results) throws Exception {
        scale.send("scale/" + deviceId + "/command", "{\"command\":\"tare\"}");
        return new ObjectMapper().readTree(results.awaitOne(WAIT).payload());
    }

    /** The process's status, retained: a run before this one left "offline" there. */
    private static void awaitOnline(MqttTestSubscriber status) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!"online".equals(status.awaitOne(Duration.ofNanos(deadline - System.nanoTime())).payloadText())) {
            // "online" comes once the scale listens to its commands
        }
    }

    /**
     * Simulated sensors, but keg-2's endpoint gets none and opens its GPIO pins, which this machine does not have (as
     * on a Pi where another program holds them).
     */
    private static void keg2OnItsGpioPins(ConfigurableApplicationContext context) {
        context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof Hx711Chips chips) {
                    return new Hx711Chips() {
                        @Override
                        public Optional<Hx711Settings> settings(String endpoint) {
                            return chips.settings(endpoint);
                        }

                        @Override
                        public Optional<Hx711Simulator> simulator(String endpoint) {
                            return "keg-2".equals(endpoint) ? Optional.empty() : chips.simulator(endpoint);
                        }
                    };
                }
                return bean;
            }
        });
    }
}
