package io.github.mqttsscale.scale.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The real application on a random port, with no password configured, against a real HTTP client.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scale.mqtt.password=mqtt-secret-in-test", "scale.sensor=simulated",
        "scale.metrics-login.password=scrape-secret-in-test",
        // no broker there: the scale keeps trying in the background, which does not concern the web side
        "scale.mqtt.url=ssl://localhost:1"})
@Import(TickingRoute.class)
@AutoConfigureObservability // the Prometheus endpoint, which Spring's tests leave out otherwise
@DirtiesContext // stopped after the class: a cached scale would go on weighing beside later tests
class WebSecurityTest {

    private static final String ROUTE_ID = TickingRoute.ROUTE_ID;
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    /** Not there yet: the application creates it. */
    private static final Path DATA_DIR = Path.of(System.getProperty("java.io.tmpdir"),
            "web-security-test-" + UUID.randomUUID(), "data");

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("scale.data-dir", DATA_DIR::toString);
    }

    @AfterAll
    static void deleteDataDir() throws IOException {
        FileSystemUtils.deleteRecursively(DATA_DIR.getParent());
    }

    private final HttpClient anonymous = HttpClient.newHttpClient();

    @Test
    void healthIsOpenWithoutDetails() throws Exception {
        // no broker at ssl://localhost:1, so health is DOWN: anyone may see that, only a login shows why
        HttpResponse<String> anon = anonymous.send(get("/actuator/health").build(), BodyHandlers.ofString());
        assertThat(anon.statusCode()).isEqualTo(503);
        assertThat(anon.body()).contains("\"status\":\"DOWN\"").doesNotContain("components");

        HttpResponse<String> loggedIn = anonymous.send(basic(get("/actuator/health")).build(), BodyHandlers.ofString());
        assertThat(loggedIn.body()).contains("components", "\"broker\":{\"status\":\"DOWN\"", "\"reason\"");
    }

    @Test
    void generatedPasswordIsKeptInOwnerOnlyFileAndNeverLogged(CapturedOutput output) throws Exception {
        Path file = DATA_DIR.resolve("web-password");
        String password = password();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DATA_DIR))).isEqualTo("rwx------");
        assertThat(anonymous.send(basic(get("/actuator/info")).build(), BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);

        assertThat(output.getAll())
                .contains("Web login: user 'admin', password in " + file.toAbsolutePath())
                .doesNotContain(password)
                .doesNotContain("Using generated security password");
    }

    @Test
    void hawtioNeedsLogin() throws Exception {
        HttpResponse<String> browser = anonymous.send(get("/actuator/hawtio/").header("Accept", "text/html").build(),
                BodyHandlers.ofString());
        assertThat(browser.statusCode()).isEqualTo(302);
        assertThat(browser.headers().firstValue("Location")).hasValue(url("/login"));

        HttpResponse<String> script = anonymous.send(get("/actuator/hawtio/index.html").build(),
                BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(401);

        HttpResponse<String> withBasic = anonymous.send(basic(get("/actuator/hawtio/index.html")).build(),
                BodyHandlers.ofString());
        assertThat(withBasic.statusCode()).isEqualTo(200);
        assertThat(withBasic.body()).contains("<title>Hawtio</title>", "<base href=\"/actuator/hawtio/\">");
    }

    /** Hawtio's 23 MB of scripts go out compressed, and a browser keeps them instead of fetching all on every visit. */
    @Test
    void hawtiosScriptsAreCompressedAndKeptByTheBrowserWhileItsDataIsNot() throws Exception {
        HttpResponse<String> page = anonymous.send(basic(get("/actuator/hawtio/index.html")).build(),
                BodyHandlers.ofString());
        Matcher script = Pattern.compile("src=\"[^\"]*?(static/js/[^\"]+\\.js)\"").matcher(page.body());
        assertThat(script.find()).as("a script in %s", page.body()).isTrue();

        HttpResponse<byte[]> plain = anonymous.send(basic(get("/actuator/hawtio/" + script.group(1))).build(),
                BodyHandlers.ofByteArray());
        HttpResponse<byte[]> gzipped = anonymous.send(basic(get("/actuator/hawtio/" + script.group(1)))
                .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.body().length).isLessThan(plain.body().length / 2);
        assertThat(gzipped.headers().firstValue("Cache-Control")).hasValue("private, max-age=31536000, immutable");

        assertThat(page.headers().firstValue("Cache-Control").orElse("")).as("Hawtio's page: asked again each time")
                .contains("no-cache");
        HttpResponse<String> data = anonymous.send(basic(get("/api/status")).build(),
                BodyHandlers.ofString());
        assertThat(data.statusCode()).isEqualTo(200);
        assertThat(data.headers().firstValue("Cache-Control").orElse("")).as("answers with data are not kept")
                .contains("no-store");
    }

    /** What a browser does: login form, Hawtio's page, then Hawtio's Jolokia POSTs with the XSRF-TOKEN cookie. */
    @Test
    void browserLogsInThroughTheFormAndHawtioReadsCamelThroughJolokia() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();

        HttpResponse<String> toLogin = browser.send(get("/actuator/hawtio/").header("Accept", "text/html").build(),
                BodyHandlers.ofString());
        assertThat(toLogin.headers().firstValue("Location")).hasValue(url("/login"));
        HttpResponse<String> loginPage = browser.send(get("/login").build(), BodyHandlers.ofString());
        assertThat(loginPage.body()).as("where the generated password is")
                .contains("The password is in " + DATA_DIR.resolve("web-password").toAbsolutePath() + ".");
        Matcher csrf = CSRF_FIELD.matcher(loginPage.body());
        assertThat(csrf.find()).as("CSRF field in %s", loginPage.body()).isTrue();

        HttpResponse<String> wrong = browser.send(form("admin", "wrong", csrf.group(1)), BodyHandlers.ofString());
        assertThat(wrong.headers().firstValue("Location")).hasValue(url("/login?error"));
        HttpResponse<String> loggedIn = browser.send(form("admin", password(), xsrfCookie(cookies)),
                BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        String target = loggedIn.headers().firstValue("Location").orElseThrow();
        assertThat(target).startsWith(url("/actuator/hawtio/"));

        HttpResponse<String> hawtio = browser.send(HttpRequest.newBuilder(URI.create(target)).build(),
                BodyHandlers.ofString());
        assertThat(hawtio.statusCode()).isEqualTo(200);
        assertThat(hawtio.body()).contains("<title>Hawtio</title>");

        String search = "{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}";
        HttpRequest.Builder jolokia = post("/actuator/hawtio/jolokia", search);
        assertThat(browser.send(jolokia.copy().build(), BodyHandlers.ofString()).statusCode())
                .as("Jolokia POST without the CSRF header").isEqualTo(403);
        HttpResponse<String> routes = browser.send(jolokia.header("X-XSRF-TOKEN", xsrfCookie(cookies)).build(),
                BodyHandlers.ofString());
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.body()).contains("\"status\":200", "name=\\\"" + ROUTE_ID + "\\\"");
    }

    @Test
    void scriptsReadCamelMBeansWithBasicAuth() throws Exception {
        HttpResponse<String> read = anonymous.send(
                basic(get("/actuator/jolokia/read/org.apache.camel:type=context,*/ExchangesTotal")).build(),
                BodyHandlers.ofString());
        assertThat(read.body()).as("GET: POST only, also for scripts").contains("403")
                .doesNotContain("\"ExchangesTotal\":");

        String request = "{\"type\":\"read\",\"mbean\":\"org.apache.camel:type=routes,*\",\"attribute\":\"RouteId\"}";
        HttpResponse<String> viaPost = anonymous.send(basic(post("/actuator/jolokia", request)).build(),
                BodyHandlers.ofString());
        assertThat(viaPost.statusCode()).isEqualTo(200);
        assertThat(viaPost.body()).contains("\"RouteId\":\"" + ROUTE_ID + "\"");

        HttpResponse<String> crossSite = anonymous.send(
                basic(post("/actuator/jolokia", request)).header("Sec-Fetch-Site", "cross-site").build(),
                BodyHandlers.ofString());
        assertThat(crossSite.statusCode()).as("cross-site POST without CSRF token").isEqualTo(403);
    }

    /** The scraper's credential reads the metrics and can do nothing else. */
    @Test
    void theMetricsLoginReadsPrometheusAndNothingElse(CapturedOutput output) throws Exception {
        String metrics = basicHeader("metrics", "scrape-secret-in-test");
        HttpResponse<String> scrape = anonymous.send(get("/actuator/prometheus").header("Authorization", metrics)
                .build(), BodyHandlers.ofString());
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        assertThat(scrape.body()).contains("scale_readings_total");
        for (String path : new String[]{"/api/status", "/actuator/hawtio/index.html", "/actuator/info"}) {
            assertThat(anonymous.send(get(path).header("Authorization", metrics).build(), BodyHandlers.ofString())
                    .statusCode()).as(path).isEqualTo(403);
        }
        assertThat(anonymous.send(post("/actuator/jolokia",
                "{\"type\":\"exec\",\"mbean\":\"io.github.mqttsscale:type=ScaleOperations\",\"operation\":\"tare\"}")
                .header("Authorization", metrics).build(), BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(anonymous.send(basic(get("/actuator/prometheus")).build(), BodyHandlers.ofString()).statusCode())
                .as("the web user too").isEqualTo(200);
        assertThat(output.getAll()).doesNotContain("scrape-secret-in-test");
    }

    @Test
    void jolokiaRefusesMissingOrWrongCredentials() throws Exception {
        String path = "/actuator/jolokia/read/org.apache.camel:type=context,*/ExchangesTotal";
        assertThat(anonymous.send(get(path).build(), BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = anonymous.send(
                get(path).header("Authorization", basicHeader("admin", "nope")).build(),
                BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("\"value\"");
        assertThat(anonymous.send(post("/actuator/jolokia", "{\"type\":\"version\"}").build(), BodyHandlers.ofString())
                .statusCode()).isIn(401, 403);
    }

    @Test
    void noSeparateJolokiaAgentOnPort8778() {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", 8778), 1000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void envAndConfigpropsAreNotServed() throws Exception {
        for (String path : new String[]{"/actuator/env", "/actuator/configprops",
                "/actuator/env/scale.mqtt.password"}) {
            assertThat(anonymous.send(get(path).build(), BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(401);
            HttpResponse<String> loggedIn = anonymous.send(basic(get(path)).build(), BodyHandlers.ofString());
            assertThat(loggedIn.statusCode()).as(path).isEqualTo(404);
            assertThat(loggedIn.body()).doesNotContain("mqtt-secret-in-test");
        }
        HttpResponse<String> index = anonymous.send(basic(get("/actuator")).build(), BodyHandlers.ofString());
        assertThat(index.body()).contains("/actuator/hawtio", "/actuator/jolokia")
                .doesNotContain("/actuator/env", "/actuator/configprops");
    }

    private String password() throws IOException {
        return Files.readString(DATA_DIR.resolve("web-password")).strip();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(url(path)));
    }

    private HttpRequest.Builder post(String path, String json) {
        return get(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json));
    }

    private HttpRequest form(String user, String password, String csrf) {
        String body = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf);
        return get("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(body)).build();
    }

    private HttpRequest.Builder basic(HttpRequest.Builder request) throws IOException {
        return request.header("Authorization", basicHeader("admin", password()));
    }

    private static String basicHeader(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String xsrfCookie(CookieManager cookies) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie"));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
