package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Hawtio may stop and start routes; a publishing route stopped there and forgotten makes {@code /actuator/health}
 * DOWN, naming the route and how to start it again, until it runs again. The routes are stopped and started as
 * Hawtio's Camel view does it: Jolokia {@code exec} of the route MBean's stop() and start(), over POST.
 */
class StoppedRouteHealthTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("stopped-route-health");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "stopped-route-test";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aStoppedPublishingRouteMakesHealthDownWithHowToStartItAgain() throws Exception {
        try (RunningScale scale = RunningScale.start(SETUP, Map.of("spring.security.user.password", PASSWORD))) {
            String base = "http://localhost:" + scale.bean(Environment.class).getProperty("local.server.port");
            await().atMost(WAIT).until(() -> routes(base).path("status").asText().equals("UP"));

            for (String routeId : new String[]{"publish", "weigh-and-publish"}) {
                assertThat(jolokiaExec(base, routeId, "stop()").path("status").asInt()).isEqualTo(200);
                JsonNode health = health(base);
                assertThat(health.path("status").asText()).isEqualTo("DOWN");
                JsonNode routes = health.path("components").path("routes");
                assertThat(routes.path("status").asText()).isEqualTo("DOWN");
                assertThat(routes.path("details").path("stopped").path(routeId).asText()).contains(
                        "the route " + routeId + " is stopped",
                        "start it again in Hawtio (Camel, Routes, " + routeId + ", Start)",
                        "sudo systemctl restart mqtts-scale");

                assertThat(jolokiaExec(base, routeId, "start()").path("status").asInt()).isEqualTo(200);
                await().atMost(WAIT).until(() -> routes(base).path("status").asText().equals("UP"));
            }
        }
    }

    private JsonNode routes(String base) throws Exception {
        return health(base).path("components").path("routes");
    }

    private JsonNode health(String base) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                .header("Authorization", login()).build(), BodyHandlers.ofString()).body());
    }

    private JsonNode jolokiaExec(String base, String routeId, String operation) throws Exception {
        String mbean = "org.apache.camel:context=mqtts-scale,type=routes,name=\\\"" + routeId + "\\\"";
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/jolokia"))
                .header("Authorization", login()).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\""
                        + operation + "\",\"arguments\":[]}"))
                .build(), BodyHandlers.ofString()).body());
    }

    private static String login() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
