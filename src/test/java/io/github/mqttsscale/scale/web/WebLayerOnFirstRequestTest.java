package io.github.mqttsscale.scale.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real application on a random port: the web layer waits for the first request, the scale does not wait for the
 * web layer, and the first request is already behind the login.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scale.mqtt.password=mqtt-secret-in-test", "scale.sensor=simulated", "scale.mqtt.url=ssl://localhost:1",
        "spring.security.user.password=" + WebLayerOnFirstRequestTest.PASSWORD})
@DirtiesContext // the beans made by this class's requests must not be what another test class finds
class WebLayerOnFirstRequestTest {

    static final String PASSWORD = "first-request-password";

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableApplicationContext context;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("scale.data-dir", () -> dataDir.resolve("data").toString());
    }

    @Test
    void theWebLayerIsMadeAtTheFirstRequestWhichStillNeedsTheLogin() throws Exception {
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        assertThat(beans.containsSingleton("webSecurity")).as("security filter chain before any request").isFalse();
        assertThat(scalesOwnSingletons(beans)).as("the scale's own beans, made at start").allSatisfy(
                name -> assertThat(beans.containsSingleton(name)).as(name).isTrue());
        assertThat(context.getBean(CamelContext.class).getRouteController().getRouteStatus("weigh-and-publish"))
                .isEqualTo(ServiceStatus.Started);

        HttpClient client = HttpClient.newHttpClient();
        String read = "{\"type\":\"read\",\"mbean\":\"org.apache.camel:type=context,*\",\"attribute\":\"ExchangesTotal\"}";
        HttpResponse<String> first = client.send(request(read).build(), BodyHandlers.ofString());
        assertThat(first.statusCode()).as("first request, no login (and no CSRF token)").isIn(401, 403);
        assertThat(first.body()).doesNotContain("\"value\"");
        HttpResponse<String> loggedIn = client.send(request(read).header("Authorization", "Basic " + Base64
                .getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
                BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).isEqualTo(200);
        assertThat(loggedIn.body()).contains("\"value\"");
        assertThat(beans.containsSingleton("webSecurity")).isTrue();
    }

    /** Singleton beans whose class is the scale's (its configuration classes and what they make). */
    private static List<String> scalesOwnSingletons(ConfigurableListableBeanFactory beans) {
        return Arrays.stream(beans.getBeanDefinitionNames())
                .filter(name -> beans.getBeanDefinition(name).isSingleton())
                .filter(name -> {
                    ResolvableType type = beans.getMergedBeanDefinition(name).getResolvableType();
                    Class<?> resolved = type.resolve();
                    return resolved != null && resolved.getName().startsWith("io.github.mqttsscale.");
                })
                .toList();
    }

    /** A Jolokia request, POSTed as Jolokia takes them. */
    private HttpRequest.Builder request(String jolokia) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/jolokia"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jolokia));
    }
}
