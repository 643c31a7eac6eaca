package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/**
 * A route template dropped into the routes folder while the scale runs becomes a route of each scale, when it declares
 * the parameter deviceId; its steps find each scale's own beans by the device id.
 */
class PerScaleTemplatesTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("per-scale-templates");

    /** A template of the user's: says once, on a topic of each scale, what 12780 counts above the tare weigh there. */
    private static final String NEW_TEMPLATE = """
            - routeTemplate:
                id: counts-check
                parameters:
                  - name: deviceId
                route:
                  from:
                    id: check-once
                    uri: "timer:counts-check-{{deviceId}}"
                    parameters:
                      repeatCount: 1
                    steps:
                      - setBody:
                          id: weight-of-12780-counts
                          method:
                            ref: "{{deviceId}}-calibration"
                            method: toKilograms(88133)
                      - convertBodyTo:
                          id: as-text
                          type: String
                      - to:
                          id: say-it
                          uri: "paho-mqtt5:scale/{{deviceId}}/counts-check"
                          parameters:
                            qos: 1
            """;

    @Test
    void aTemplateDroppedIntoTheRoutesFolderBecomesARouteOfEachScaleWithItsOwnBeans() throws Exception {
        Path routes = Files.createDirectories(SETUP.dir.resolve("routes"));
        for (String file : new String[]{"scale.camel.yaml", "commands.camel.yaml"}) {
            Files.copy(Path.of("routes", file), routes.resolve(file));
        }
        try (MqttTestSubscriber checks = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                "scale/+/counts-check");
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.routes-dir", routes.toString(),
                        "scale.data-dir", SETUP.dir.resolve("data").toString(),
                        "scale.scales[0].device-id", "keg-1",
                        "scale.scales[1].device-id", "keg-2",
                        "scale.scales[1].hx711.data-pin", "17",
                        "scale.scales[1].hx711.clock-pin", "27",
                        // keg-2's load cell gives half the counts per kg of keg-1's
                        "scale.scales[1].calibration.counts-per-kg", "6390"))) {
            checks.awaitReady(Duration.ofSeconds(30));
            checks.assertNothingWithin(Duration.ofSeconds(1));

            Files.writeString(routes.resolve("counts-check.camel.yaml"), NEW_TEMPLATE);

            Map<String, String> said = checks.awaitLatest(
                    Map.of("scale/keg-1/counts-check", "1.0", "scale/keg-2/counts-check", "2.0"),
                    Duration.ofSeconds(60));
            assertThat(said).as("each scale's route, with that scale's calibration")
                    .containsEntry("scale/keg-1/counts-check", "1.0")
                    .containsEntry("scale/keg-2/counts-check", "2.0");
            assertThat(scale.bean(CamelContext.class).getRoute("counts-check-keg-1")).isNotNull();
            assertThat(scale.bean(CamelContext.class).getRoute("counts-check-keg-2")).isNotNull();
        }
    }
}
