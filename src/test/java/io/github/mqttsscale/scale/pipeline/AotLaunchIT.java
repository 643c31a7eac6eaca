package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.testsupport.MqttTestClients;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/**
 * The packaged scale in Spring AOT mode ({@code -Dspring.aot.enabled=true}, the recommended launch): the bean
 * definitions were worked out when the jar was built, so whatever the build machine decided must not stick to the
 * scale. It weighs, runs commands, serves Hawtio and Jolokia; and the sensor is still chosen where it runs.
 */
class AotLaunchIT {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("aot");
    private static final List<String> AOT = List.of("-Dspring.aot.enabled=true");
    private static final String WEB_PASSWORD = "aot-web-password";
    /** What Pi4J says when it is asked for the GPIO pins on a machine that has none, as here. */
    private static final String NO_GPIO = "No gpio chip yet initialized";

    @BeforeAll
    static void startBroker() {
        SETUP.broker.start();
    }

    @Test
    void weighsRunsCommandsAndServesHawtioInAotMode() throws Exception {
        int port = freePort();
        Path log = SETUP.dir.resolve("simulated.log");
        try (MqttTestSubscriber weights = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                MqttTestSubscriber results = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                        "scale/" + ScaleBrokerSetup.DEVICE_ID + "/command/result")) {
            Process scale = PackagedScale.start(AOT, settings("simulated", port), log);
            try {
                PackagedScale.awaitStarted(scale, log);
                weights.awaitOne(Duration.ofSeconds(60));
                MqttTestClients.publish(SETUP.broker, SETUP.pki.clientTlsFiles(),
                        "scale/" + ScaleBrokerSetup.DEVICE_ID + "/command", "{\"command\":\"tare\"}", 1, false);
                JsonNode tare = new ObjectMapper().readTree(results.awaitOne(Duration.ofSeconds(30)).payload());
                assertThat(tare.get("ok").asBoolean()).as("tare: %s", tare).isTrue();

                HttpResponse<String> hawtio = get(port, "/actuator/hawtio/index.html");
                assertThat(hawtio.statusCode()).isEqualTo(200);
                assertThat(hawtio.body()).contains("<title>Hawtio</title>");
                HttpResponse<String> route = jolokia(port, "{\"type\":\"read\",\"mbean\":\"org.apache.camel:"
                        + "context=mqtts-scale,type=routes,name=\\\"weigh-and-publish\\\"\",\"attribute\":\"State\"}");
                assertThat(route.statusCode()).isEqualTo(200);
                assertThat(route.body()).contains("\"value\":\"Started\"");
                assertThat(Files.readString(log, StandardCharsets.UTF_8))
                        .contains("Starting AOT-processed ScaleApplication");
            } finally {
                stop(scale);
            }
        }
    }

    /** On the build machine (no Pi) the simulator was chosen; with scale.sensor=hx711 the scale must go for the pins. */
    @Test
    void theSensorIsChosenWhereTheScaleRunsNotWhereTheJarWasBuilt() throws Exception {
        Path log = SETUP.dir.resolve("hx711.log");
        Process scale = PackagedScale.start(AOT, settings("hx711", freePort()), log);
        try {
            await("log " + log + " saying it went for the pins, or the scale exiting").atMost(Duration.ofSeconds(120))
                    .until(() -> logOf(log).contains(NO_GPIO) || !scale.isAlive());
            String text = logOf(log);
            assertThat(text).as("log %s: it went for the pins", log).contains(NO_GPIO);
        } finally {
            stop(scale);
        }
    }

    private static Map<String, String> settings(String sensor, int port) {
        Map<String, String> settings = new LinkedHashMap<>();
        SETUP.register((key, value) -> settings.put(key, String.valueOf(value.get())));
        settings.put("scale.sensor", sensor);
        settings.put("server.port", String.valueOf(port));
        settings.put("spring.security.user.password", WEB_PASSWORD);
        return settings;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("admin:" + WEB_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + auth).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Jolokia takes POST only. */
    private static HttpResponse<String> jolokia(int port, String request) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("admin:" + WEB_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/jolokia")).header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String logOf(Path log) throws Exception {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private static void stop(Process scale) throws InterruptedException {
        scale.destroy();
        if (!scale.waitFor(30, TimeUnit.SECONDS)) {
            scale.destroyForcibly();
        }
    }
}
