package io.github.mqttsscale.scale.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import io.github.mqttsscale.scale.testsupport.TestClock;

/**
 * Failed web logins are logged with their address and slowed down: after 5 in a row an address waits, twice as long
 * after each further failure, and meanwhile not even the right password is tried. The application on a random port
 * with a real HTTP client (a class of its own: the lock-out would bar other tests' logins from this address).
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scale.sensor=simulated", "scale.mqtt.url=ssl://localhost:1"})
@DirtiesContext
class LoginThrottleTest {

    private static final Path DATA_DIR = Path.of(System.getProperty("java.io.tmpdir"),
            "login-throttle-test-" + UUID.randomUUID(), "data");

    @LocalServerPort
    int port;

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
    void fiveWrongPasswordsLockTheAddressOutAndAreLogged(CapturedOutput output) throws Exception {
        String password = Files.readString(DATA_DIR.resolve(WebSecurityConfig.PASSWORD_FILE_NAME)).strip();
        assertThat(status("admin", password)).isEqualTo(200);
        for (int attempt = 1; attempt <= LoginThrottle.FREE_FAILURES; attempt++) {
            assertThat(status("admin", "guess-" + attempt)).isEqualTo(401);
        }
        HttpResponse<String> locked = send("admin", password);
        assertThat(locked.statusCode()).as("locked out: not even the right password is tried").isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        assertThat(output.getAll()).contains("Failed web login for 'admin' from 127.0.0.1 (1 in a row)",
                "(5 in a row; further logins from there wait 5 s)").doesNotContain("guess-");
    }

    @Test
    void theLockDoublesAfterEachFurtherFailureAndASuccessForgetsThem() {
        TestClock clock = new TestClock(Instant.parse("2026-12-07T00:00:00Z"));
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int failure = 1; failure <= 5; failure++) {
            throttle.failed(failure());
        }
        assertThat(attempt(throttle)).isEqualTo(429);
        clock.advance(Duration.ofSeconds(5));
        assertThat(attempt(throttle)).as("5 s later").isEqualTo(200);
        throttle.failed(failure());
        clock.advance(Duration.ofSeconds(9));
        assertThat(attempt(throttle)).as("the sixth failure: 10 s").isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(attempt(throttle)).isEqualTo(200);
        throttle.succeeded(new AuthenticationSuccessEvent(token()));
        throttle.failed(failure());
        assertThat(attempt(throttle)).as("a success starts from zero").isEqualTo(200);
        assertThat(LoginThrottle.lockAfter(100)).isEqualTo(LoginThrottle.LONGEST_LOCK);
    }

    private static int attempt(LoginThrottle throttle) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/status");
        request.setRemoteAddr("192.0.2.7");
        request.addHeader("Authorization", "Basic eDp5");
        MockHttpServletResponse response = new MockHttpServletResponse();
        try {
            throttle.doFilter(request, response, new MockFilterChain());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return response.getStatus();
    }

    private static AuthenticationFailureBadCredentialsEvent failure() {
        return new AuthenticationFailureBadCredentialsEvent(token(), new BadCredentialsException("Bad credentials"));
    }

    private static UsernamePasswordAuthenticationToken token() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr("192.0.2.7");
        UsernamePasswordAuthenticationToken token = new UsernamePasswordAuthenticationToken("admin", "x");
        token.setDetails(new WebAuthenticationDetails(request));
        return token;
    }

    private int status(String user, String password) throws Exception {
        return send(user, password).statusCode();
    }

    private HttpResponse<String> send(String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/status"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
    }
}
