package io.github.mqttsscale.scale.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.mqttsscale.scale.testsupport.HeadlessChromium;

/**
 * The scale's login page and both ways to log out, in a real headless Chromium: the login page names the scale and
 * where its password is and shows a wrong password as an error; Hawtio's user menu names the user and its "Log out",
 * like the status page's button, ends the login: the next visit asks for it again, and the old session cookie is
 * refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.user.password=" + LoginPageBrowserTest.PASSWORD,
        "scale.device-id=" + LoginPageBrowserTest.DEVICE_ID,
        "scale.sensor=simulated", "spring.jmx.enabled=true",
        // no broker there: the scale keeps trying in the background, which does not concern logging in
        "scale.mqtt.url=ssl://localhost:1"})
// its MBeans must be gone before another application in this JVM registers the same names
@DirtiesContext
class LoginPageBrowserTest {

    static final String PASSWORD = "login-test-password";
    static final String DEVICE_ID = "login-test-scale";
    /** Hawtio's 20 MB of JavaScript on a busy machine */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path DATA_DIR = createTempDir();

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("scale.data-dir", DATA_DIR::toString);
    }

    @AfterAll
    static void deleteDataDir() {
        FileSystemUtils.deleteRecursively(DATA_DIR.toFile());
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private HeadlessChromium browser;

    @BeforeEach
    void startBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void theLoginPageNamesTheScaleAndShowsAWrongPasswordAsAnError() {
        browser.navigate(url("/"));
        awaitLoginPage();
        assertThat(browser.evaluate("document.title").asText()).isEqualTo("mqtts-scale");
        assertThat(browser.evaluate("document.getElementById('device').innerText").asText()).isEqualTo(DEVICE_ID);
        assertThat(browser.evaluate("document.getElementById('password-source').innerText").asText())
                .isEqualTo("The password is from spring.security.user.password.");
        assertThat(browser.evaluate("!!document.getElementById('login-error')").asBoolean()).isFalse();

        browser.submitLogin("admin", "not-" + PASSWORD);
        // in the status page's colour for problems, once its style sheet is there
        browser.await("(() => { const error = document.getElementById('login-error'); if (!error) return null;"
                + " return location.pathname + location.search + ' ' + getComputedStyle(error).color + ' '"
                + " + error.innerText; })()",
                value -> value.asText().equals("/login?error rgb(170, 0, 0) Wrong user name or password."), WAIT);

        browser.submitLogin("admin", PASSWORD);
        browser.await("document.location.pathname", value -> value.asText().equals("/"), WAIT);
    }

    @Test
    void hawtiosLogOutEndsTheLogin() throws Exception {
        logInAndOut("/actuator/hawtio/",
                "document.getElementById('hawtio-header-user-dropdown-toggle')?.innerText.trim()",
                "admin", () -> browser.await("(() => { if (location.pathname === '/login') return 'login page';"
                        // open the user menu, then take its "Log out"
                        + " const logOut = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Log out');"
                        + " if (logOut) { logOut.click(); return null; }"
                        + " const menu = document.getElementById('hawtio-header-user-dropdown-toggle');"
                        + " if (menu.getAttribute('aria-expanded') !== 'true') menu.click(); return null; })()",
                        value -> value.asText().equals("login page"), WAIT));
    }

    @Test
    void theStatusPagesLogOutButtonEndsTheLogin() throws Exception {
        logInAndOut("/", "document.location.pathname === '/' && document.getElementById('device').textContent",
                DEVICE_ID,
                () -> browser.evaluate("document.querySelector('#logout button').click(); true"));
    }

    /**
     * Logs in through the login page that {@code path} leads to, waits until {@code shown} evaluates to {@code expected},
     * logs out with {@code logOut}, and checks that the login page says so, the session cookie of before is refused,
     * and {@code path} asks for the login again.
     */
    private void logInAndOut(String path, String shown, String expected, Runnable logOut) throws Exception {
        browser.navigate(url(path));
        awaitLoginPage();
        browser.submitLogin("admin", PASSWORD);
        browser.await(shown, value -> value.asText().equals(expected), WAIT);
        String session = sessionCookie();
        assertThat(statusWith(session)).as("the session before log-out").isEqualTo(200);

        logOut.run();
        browser.await("location.pathname + location.search + ' '"
                + " + (document.getElementById('logged-out')?.innerText ?? '')",
                value -> value.asText().equals("/login?logout You are logged out."), WAIT);
        assertThat(statusWith(session)).as("the session of before log-out").isEqualTo(401);

        browser.navigate(url(path));
        awaitLoginPage();
    }

    private void awaitLoginPage() {
        browser.await("document.location.pathname === '/login' && !!document.querySelector('input[name=password]')",
                JsonNode::asBoolean, WAIT);
    }

    private String sessionCookie() {
        JsonNode cookies = browser.call("Network.getCookies", Map.of("urls", List.of(url("/")))).path("cookies");
        for (JsonNode cookie : cookies) {
            if (cookie.path("name").asText().equals("JSESSIONID")) {
                return cookie.path("value").asText();
            }
        }
        throw new AssertionError("no JSESSIONID cookie among " + cookies);
    }

    /** The HTTP status of the status page's data, asked with only this session cookie (as a script, no redirect). */
    private int statusWith(String session) throws Exception {
        return http
                .send(HttpRequest.newBuilder(URI.create(url("/api/status"))).header("Cookie", "JSESSIONID=" + session)
                        .build(), BodyHandlers.discarding())
                .statusCode();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("login-page-test-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
