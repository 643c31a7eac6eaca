package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

import io.github.mqttsscale.scale.monitoring.ScaleActivity;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.testsupport.DeliveryAssertions;
import io.github.mqttsscale.scale.testsupport.FlakyLink;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.PublishedWeights;
import io.github.mqttsscale.scale.testsupport.ReadingSeqs;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/** Users change what the scale does by editing routes/*.camel.yaml while it runs. */
@ExtendWith(OutputCaptureExtension.class)
class RouteEditTest {

    private static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("route-edit");
    private static final String EDITED_TOPIC = "scale/" + ScaleBrokerSetup.DEVICE_ID + "/edited";
    /** The route's step weight-topic, which says where the scale's weights go. */
    private static final String TOPIC_STEP = "constant: \"{{topic}}\"";

    @AfterAll
    static void stopBroker() {
        SETUP.broker.close();
    }

    /**
     * Live readings and those kept through an outage leave through the same route step: a topic edited in the YAML
     * holds for both, and the scale's count of published weights follows that step, not a topic it was told.
     */
    @Test
    void aTopicEditedInTheRouteHoldsForReadingsKeptThroughAnOutage() throws Exception {
        SETUP.broker.start();
        Path routes = Files.createDirectories(SETUP.dir.resolve("routes-outage"));
        Path route = routes.resolve("scale.camel.yaml");
        String edited = Files.readString(Path.of("routes/scale.camel.yaml"))
                .replace(TOPIC_STEP, "constant: \"" + EDITED_TOPIC + "\"");
        assertThat(edited).contains(EDITED_TOPIC);
        Files.writeString(route, edited);

        try (FlakyLink link = new FlakyLink(SETUP.broker.port());
                MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki, EDITED_TOPIC);
                MqttTestSubscriber configuredTopic = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.routes-dir", routes.toString(),
                        "scale.mqtt.url", link.url(), "scale.sample-interval", "200ms",
                        "scale.publish.min-change-kg", "0", "scale.mqtt.connect-timeout", "2s",
                        "scale.mqtt.reconnect-max-delay", "1s"))) {
            List<Long> arrived = new ArrayList<>();
            ReadingSeqs.collect(subscriber, arrived, 3, Duration.ofSeconds(30));

            link.cut();
            Outbox outbox = scale.bean(Outbox.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.getWaiting() >= 10);
            long lastTakenDuringOutage = arrived.get(arrived.size() - 1) + outbox.getWaiting();
            link.restore();
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.getWaiting() == 0);
            ReadingSeqs.collectUntil(subscriber, arrived, lastTakenDuringOutage, Duration.ofSeconds(30));

            DeliveryAssertions.assertNothingLostInOrder(arrived, 1);
            assertThat(configuredTopic.pending()).as("weights on scale.publish.topic, which the route no longer names")
                    .isEmpty();
            long distinct = arrived.stream().distinct().count();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(PublishedWeights.counted(scale.bean(MeterRegistry.class)))
                            .as("scale.published, live and from the outbox, counted at the route's send step")
                            .isGreaterThanOrEqualTo(distinct));
            assertThat(outbox.getSent()).as("kept readings sent through the route").isGreaterThanOrEqualTo(10);
            Scale only = scale.bean(Scales.class).all().get(0);
            assertThat(scale.bean(ScaleActivity.class).lastPublish(only)).as("the status page's last publish")
                    .isPresent();
        }
    }

    @Test
    void anEditTakesEffectWhileRunningAndABrokenEditKeepsTheLastGoodRoute(CapturedOutput output) throws Exception {
        SETUP.broker.start();
        Path routes = Files.createDirectories(SETUP.dir.resolve("routes"));
        Path route = routes.resolve("scale.camel.yaml");
        Files.copy(Path.of("routes/scale.camel.yaml"), route);
        String original = Files.readString(route);
        assertThat(original).contains(TOPIC_STEP);

        try (RunningScale scale = RunningScale.start(SETUP, Map.of("scale.routes-dir", routes.toString(),
                "scale.publish.heartbeat", "500ms"));
                MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        "scale/" + ScaleBrokerSetup.DEVICE_ID + "/+")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.pending().stream()
                    .anyMatch(message -> message.topic().equals(ScaleBrokerSetup.WEIGHT_TOPIC)));

            Files.writeString(route, original.replace(TOPIC_STEP, "constant: \"" + EDITED_TOPIC + "\""));
            subscriber.clear();
            await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.pending().stream()
                    .anyMatch(message -> message.topic().equals(EDITED_TOPIC)));

            Files.writeString(route, original.replace("    steps:", "    steps: [ this is not yaml"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(output.getAll())
                    .contains(route.getFileName().toString()).containsIgnoringCase("error"));
            subscriber.clear();
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.pending().stream()
                    .anyMatch(message -> message.topic().equals(EDITED_TOPIC)));
            assertThat(scale.isWeighing()).isTrue();
        }
    }

    /**
     * Every reading taken while an edit reloads the routes reaches the broker, in order and without a stall: a reading
     * on its way to the publishing route while the reload stops it is kept in the outbox (it used to wait 30 s for the
     * route, holding up the reload, and then fail).
     */
    @Test
    void readingsTakenWhileAnEditReloadsTheRoutesAreAllPublished(CapturedOutput output) throws Exception {
        SETUP.broker.start();
        Path routes = Files.createDirectories(SETUP.dir.resolve("routes-reloads"));
        Path route = routes.resolve("scale.camel.yaml");
        String original = Files.readString(Path.of("routes/scale.camel.yaml"));
        Files.writeString(route, original);

        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.routes-dir", routes.toString(),
                        "scale.publish.min-change-kg", "0"))) {
            List<Long> arrived = new ArrayList<>();
            ReadingSeqs.collect(weights, arrived, 5, Duration.ofSeconds(30));
            int edits = 3;
            for (int edit = 1; edit <= edits; edit++) {
                int reloaded = edit;
                Files.writeString(route, original + "# edit " + edit + "\n");
                await().atMost(Duration.ofSeconds(20)).until(
                        () -> output.getAll().split("Routes reloaded summary", -1).length - 1 >= reloaded);
                ReadingSeqs.collect(weights, arrived, 10, Duration.ofSeconds(20));
            }
            ReadingSeqs.collectUntil(weights, arrived, arrived.get(arrived.size() - 1) + 20,
                    Duration.ofSeconds(20));
            DeliveryAssertions.assertNothingLostInOrder(arrived, edits);
            assertThat(scale.isWeighing()).isTrue();
        }
    }

    /** A routes folder from an older version has no commands route: a command is refused, saying how to fix it. */
    @Test
    void aCommandWithoutTheCommandsRouteIsRefusedWithTheFix() throws Exception {
        SETUP.broker.start();
        Path routes = Files.createDirectories(SETUP.dir.resolve("routes-without-commands"));
        Files.copy(Path.of("routes/scale.camel.yaml"), routes.resolve("scale.camel.yaml"));

        try (RunningScale scale = RunningScale.start(SETUP, Map.of("scale.routes-dir", routes.toString()));
                MqttTestSubscriber results = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        ScaleBrokerSetup.RESULT_TOPIC)) {
            scale.send(ScaleBrokerSetup.COMMAND_TOPIC, "{\"command\":\"tare\"}");

            JsonNode result = new ObjectMapper().readTree(results.awaitOne(Duration.ofSeconds(20)).payload());
            assertThat(result.get("ok").asBoolean()).isFalse();
            assertThat(result.get("reason").asText())
                    .contains("runs no route commands", "put commands.camel.yaml back into its routes folder");
        }
    }
}
