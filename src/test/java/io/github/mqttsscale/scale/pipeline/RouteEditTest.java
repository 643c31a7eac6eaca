package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/** Users change what the scale does by editing routes/*.camel.yaml while it runs. */
@ExtendWith(OutputCaptureExtension.class)
class RouteEditTest {

    private static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("route-edit");
    private static final String EDITED_TOPIC = "scale/" + ScaleBrokerSetup.DEVICE_ID + "/edited";

    @AfterAll
    static void stopBroker() {
        SETUP.broker.close();
    }

    @Test
    void anEditTakesEffectWhileRunningAndABrokenEditKeepsTheLastGoodRoute(CapturedOutput output) throws Exception {
        SETUP.broker.start();
        Path routes = Files.createDirectories(SETUP.dir.resolve("routes"));
        Path route = routes.resolve("scale.camel.yaml");
        Files.copy(Path.of("routes/scale.camel.yaml"), route);
        String original = Files.readString(route);
        assertThat(original).contains("uri: \"paho-mqtt5:{{scale.publish.topic}}\"");

        try (RunningScale scale = RunningScale.start(SETUP, Map.of("scale.routes-dir", routes.toString(),
                "scale.publish.heartbeat", "500ms"));
                MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        "scale/" + ScaleBrokerSetup.DEVICE_ID + "/+")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.pending().stream()
                    .anyMatch(message -> message.topic().equals(ScaleBrokerSetup.WEIGHT_TOPIC)));

            Files.writeString(route, original.replace("uri: \"paho-mqtt5:{{scale.publish.topic}}\"",
                    "uri: \"paho-mqtt5:" + EDITED_TOPIC + "\""));
            subscriber.clear();
            await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.pending().stream()
                    .anyMatch(message -> message.topic().equals(EDITED_TOPIC)));

            Files.writeString(route, original.replace("    steps:", "    steps: [ this is not yaml"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(output.getAll()).contains(route.getFileName().toString()).containsIgnoringCase("error"));
            subscriber.clear();
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.pending().stream()
                    .anyMatch(message -> message.topic().equals(EDITED_TOPIC)));
            assertThat(scale.isWeighing()).isTrue();
        }
    }
}
