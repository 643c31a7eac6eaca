package io.github.mqttsscale.scale.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jolokia with the web login may do what Hawtio's views and the scale's operations need, and nothing else
 * (jolokia-access.xml): no sending messages through Camel (which could write files as the service user or read
 * environment variables), no JVM diagnostics, no writes to the JVM's MBeans, no JSR-160 proxy to other hosts, no
 * answers to other sites' pages. Every call is an HTTP POST to /actuator/jolokia with the web login, as a script sends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scale.mqtt.password=mqtt-secret-in-test", "scale.sensor=simulated", "spring.jmx.enabled=true",
        // no broker there: the scale keeps trying in the background, which does not concern the web side
        "scale.mqtt.url=ssl://localhost:1"})
// its MBeans must be gone before another application in this JVM registers the same names
@Import(TickingRoute.class)
@DirtiesContext
class JolokiaAccessTest {

    private static final String ROUTE_ID = TickingRoute.ROUTE_ID;
    private static final String CONTEXT = "org.apache.camel:context=mqtts-scale,type=context,name=\\\"mqtts-scale\\\"";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DATA_DIR = Path.of(System.getProperty("java.io.tmpdir"),
            "jolokia-access-test-" + UUID.randomUUID(), "data");

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("scale.data-dir", DATA_DIR::toString);
    }

    @AfterAll
    static void deleteDataDir() throws IOException {
        FileSystemUtils.deleteRecursively(DATA_DIR.getParent());
    }

    @Test
    void sendingMessagesThroughCamelIsRefused() throws Exception {
        Path written = DATA_DIR.getParent().resolve("written-through-jolokia");
        String target = "file:" + written.getParent() + "?fileName=" + written.getFileName();
        for (String operation : new String[]{"sendBody(java.lang.String,java.lang.Object)",
                "requestBody(java.lang.String,java.lang.Object)", "sendBody", "requestBody"}) {
            assertRefused("{\"type\":\"exec\",\"mbean\":\"" + CONTEXT + "\",\"operation\":\"" + operation
                    + "\",\"arguments\":[\"" + target + "\",\"written\"]}");
        }
        assertThat(written).as("file written through Camel").doesNotExist();
        assertRefused("{\"type\":\"exec\",\"mbean\":\"" + CONTEXT + "\",\"operation\":\"requestBody\","
                + "\"arguments\":[\"language:simple\",\"${env:PATH}\"]}");
    }

    /** Hawtio's views may read a route's source and list blocked exchanges; editing and interrupting stay closed. */
    @Test
    void changingRoutesAndInterruptingExchangesAreRefused() throws Exception {
        String route = "org.apache.camel:context=mqtts-scale,type=routes,name=\\\"" + ROUTE_ID + "\\\"";
        assertRefused("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"updateRouteFromXml\","
                + "\"arguments\":[\"<route id=\\\"" + ROUTE_ID
                + "\\\"><from uri=\\\"timer:x\\\"/><to uri=\\\"log:x\\\"/></route>\"]}");
        assertRefused("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"remove()\",\"arguments\":[]}");
        assertRefused("{\"type\":\"exec\",\"mbean\":\"" + CONTEXT + "\",\"operation\":\"removeEndpoints\","
                + "\"arguments\":[\"*\"]}");
        assertRefused("{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=mqtts-scale,type=services,"
                + "name=DefaultAsyncProcessorAwaitManager\",\"operation\":\"interrupt\",\"arguments\":[\"any\"]}");
        assertThat(camel.getRoute(ROUTE_ID)).isNotNull();
    }

    @Test
    void jvmDiagnosticsAreRefused() throws Exception {
        assertRefused("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"vmSystemProperties()\",\"arguments\":[]}");
        Path heapDump = DATA_DIR.getParent().resolve("heap.hprof");
        assertRefused("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"dumpHeap\",\"arguments\":[\"" + heapDump + "\",true]}");
        assertThat(heapDump).doesNotExist();
        assertRefused(
                "{\"type\":\"read\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\",\"attribute\":\"DiagnosticOptions\"}");
    }

    @Test
    void writingToTheJvmsMBeansIsRefused() throws Exception {
        assertRefused(
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}");
        assertRefused(
                "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\",\"arguments\":[]}");
        // the switch in Hawtio's Threads view, which may read the thread dump
        assertRefused(
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Threading\",\"attribute\":\"ThreadContentionMonitoringEnabled\","
                        + "\"value\":true}");
    }

    @Test
    void theJsr160ProxyIsOff() throws Exception {
        // a listener where the proxy would connect to: nothing may knock
        try (ServerSocket jmxHost = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            jmxHost.setSoTimeout(2000);
            post("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Name\",\"target\":{\"url\":"
                    + "\"service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxHost.getLocalPort() + "/jmxrmi\"}}");
            assertThatThrownBy(() -> jmxHost.accept().close()).as("a connection from the scale to the target")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    /** A page on another port of the same host (same site for the cookie) could tare with an img: GET runs nothing. */
    @Test
    void getRequestsAreRefusedEvenLoggedIn() throws Exception {
        HttpRequest.Builder post = request("{}");
        String authorization = post.build().headers().firstValue("Authorization").orElseThrow();
        for (String path : new String[]{"/exec/io.github.mqttsscale:type=ScaleOperations/publish",
                "/read/java.lang:type=Memory/HeapMemoryUsage"}) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/jolokia" + path))
                            .header("Authorization", authorization).GET().build(),
                    BodyHandlers.ofString());
            assertThat(response.body()).as(path).doesNotContain("\"status\":200");
            assertThat(response.body()).as(path).contains("403");
        }
        // an exec with an effect to look for: the route must still run
        HttpResponse<String> stop = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/jolokia/exec/org.apache.camel:context=mqtts-scale,type=routes,name=%22" + ROUTE_ID
                + "%22/stop()")).header("Authorization", authorization).GET().build(), BodyHandlers.ofString());
        assertThat(stop.body()).doesNotContain("\"status\":200").contains("403");
        assertThat(camel.getRouteController().getRouteStatus(ROUTE_ID)).isEqualTo(ServiceStatus.Started);
    }

    /**
     * Logged in, GET and POST, under Hawtio's path and the bare one, to the scale itself (which the proxy would
     * reach): 403 or 404, never the proxied answer.
     */
    @Test
    void hawtiosProxyIsOff() throws Exception {
        HttpRequest.Builder post = request("{}");
        String authorization = post.build().headers().firstValue("Authorization").orElseThrow();
        for (String proxy : new String[]{"/actuator/hawtio/proxy/", "/hawtio/proxy/"}) {
            for (String method : new String[]{"GET", "POST"}) {
                URI target = URI.create("http://localhost:" + port + proxy + "localhost/" + port + "/actuator/health");
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(target)
                        .header("Authorization", authorization).header("Content-Type", "application/json")
                        .method(method, BodyPublishers.ofString("{\"type\":\"version\"}")).build(),
                        BodyHandlers.ofString());
                assertThat(response.statusCode()).as(method + " " + target + ": " + response.body()).isIn(403, 404);
                assertThat(response.body()).as(method + " " + target).doesNotContain("\"status\":\"UP\"",
                        "\"status\":\"DOWN\"");
            }
        }
    }

    /**
     * No page of another site may read the answers: no Access-Control-Allow-Origin for a foreign origin on Jolokia,
     * the status page's API or the actuator, neither on the request nor on the browser's preflight.
     */
    @Test
    void otherSitesGetNoCorsPermission() throws Exception {
        String authorization = request("{}").build().headers().firstValue("Authorization").orElseThrow();
        String evil = "http://evil.example";
        HttpResponse<String> fromElsewhere = http.send(request("{\"type\":\"version\"}")
                .header("Origin", evil).build(), BodyHandlers.ofString());
        assertNoCorsPermission(fromElsewhere);
        // a page of another port of the same host is another origin too (Node-RED, Grafana on the Pi)
        assertNoCorsPermission(http.send(request("{\"type\":\"version\"}").header("Origin", "http://localhost:1880")
                .build(), BodyHandlers.ofString()));
        for (String path : new String[]{"/api/status", "/actuator/health", "/actuator/info"}) {
            assertNoCorsPermission(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", authorization).header("Origin", evil).GET().build(),
                    BodyHandlers.ofString()));
        }
        for (String path : new String[]{"/actuator/jolokia", "/api/tare", "/actuator/health"}) {
            HttpResponse<String> preflight = http.send(HttpRequest
                    .newBuilder(URI.create("http://localhost:" + port + path)).header("Origin", evil)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type")
                    .method("OPTIONS", BodyPublishers.noBody()).build(), BodyHandlers.ofString());
            assertNoCorsPermission(preflight);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).as(path).isEmpty();
        }
    }

    private static void assertNoCorsPermission(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(response.uri().toString())
                .isEmpty();
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).as(response.uri().toString())
                .isEmpty();
    }

    @Test
    void whatHawtioAndTheScaleNeedIsAllowed() throws Exception {
        assertOk("{\"type\":\"version\"}");
        assertOk("{\"type\":\"list\",\"path\":\"org.apache.camel\"}");
        assertOk("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}");
        assertOk("{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}");
        assertThat(assertOk("{\"type\":\"exec\",\"mbean\":\"" + CONTEXT + "\",\"operation\":\"dumpRoutesAsXml()\","
                + "\"arguments\":[]}").path("value").asText()).contains(ROUTE_ID);

        String route = "org.apache.camel:context=mqtts-scale,type=routes,name=\\\"" + ROUTE_ID + "\\\"";
        // Jolokia applies one pattern per MBean: the route's own entry must allow the dump* operations as well
        assertThat(assertOk("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"dumpRouteAsXml()\","
                + "\"arguments\":[]}").path("value").asText()).contains(ROUTE_ID);
        assertOk("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"stop()\",\"arguments\":[]}");
        assertThat(camel.getRouteController().getRouteStatus(ROUTE_ID)).isEqualTo(ServiceStatus.Stopped);
        assertOk("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"start()\",\"arguments\":[]}");
        assertThat(camel.getRouteController().getRouteStatus(ROUTE_ID)).isEqualTo(ServiceStatus.Started);

        assertOk(
                "{\"type\":\"exec\",\"mbean\":\"io.github.mqttsscale:type=ScaleOperations\",\"operation\":\"publish\"}");
        assertOk("{\"type\":\"read\",\"mbean\":\"io.github.mqttsscale:type=Outbox\",\"attribute\":\"Waiting\"}");
    }

    private void assertRefused(String json) throws Exception {
        JsonNode answer = post(json);
        assertThat(answer.path("status").asInt()).as(json + " -> " + answer).isEqualTo(403);
    }

    private JsonNode assertOk(String json) throws Exception {
        JsonNode answer = post(json);
        assertThat(answer.path("status").asInt()).as(json + " -> " + answer).isEqualTo(200);
        return answer;
    }

    private JsonNode post(String json) throws Exception {
        HttpResponse<String> response = http.send(request(json).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 403);
        return response.body().isBlank()
                ? JSON.createObjectNode().put("status", response.statusCode())
                : JSON.readTree(response.body());
    }

    private HttpRequest.Builder request(String json) throws IOException {
        String password = Files.readString(DATA_DIR.resolve(WebSecurityConfig.PASSWORD_FILE_NAME)).strip();
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/jolokia"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)))
                .POST(BodyPublishers.ofString(json));
    }
}
