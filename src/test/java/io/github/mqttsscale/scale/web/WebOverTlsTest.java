package io.github.mqttsscale.scale.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import io.github.mqttsscale.scale.cli.SubCommands;
import io.github.mqttsscale.scale.testsupport.TestPki;

/**
 * The web port over TLS with the user's own certificate and key (PEM files, as the README's settings give them), and
 * the web password configured as a bcrypt hash made by {@code mqtts-scale hash-password}: a real HTTPS client that
 * trusts the certificate's CA logs in with the password; the plain password is stored nowhere.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "scale.mqtt.password=mqtt-secret-in-test", "scale.sensor=simulated",
        // no broker there: the scale keeps trying in the background, which does not concern the web side
        "scale.mqtt.url=ssl://localhost:1", "server.address=127.0.0.1", "server.ssl.bundle=web"})
@DirtiesContext
class WebOverTlsTest {

    private static final String PASSWORD = "a-long-web-password-" + UUID.randomUUID();
    private static final String HASH = hashed(PASSWORD);
    private static final Path DATA_DIR = Path.of(System.getProperty("java.io.tmpdir"),
            "web-over-tls-test-" + UUID.randomUUID(), "data");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("scale.data-dir", DATA_DIR::toString);
        registry.add("spring.ssl.bundle.pem.web.keystore.certificate",
                () -> TestPki.shared().webServerCertPem().toString());
        registry.add("spring.ssl.bundle.pem.web.keystore.private-key",
                () -> TestPki.shared().webServerKeyPem().toString());
        registry.add("spring.security.user.password", () -> HASH);
    }

    @AfterAll
    static void deleteDataDir() throws IOException {
        FileSystemUtils.deleteRecursively(DATA_DIR.getParent());
    }

    @Test
    void theWebPortSpeaksTlsWithTheUsersCertificateAndTheHashedPasswordLogsIn() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(TestPki.shared().caCertPem())).build();
        HttpResponse<String> loggedIn = https.send(get("https://localhost:" + port + "/api/status", PASSWORD),
                BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(200);
        assertThat(loggedIn.sslSession().orElseThrow().getPeerCertificates()[0].toString()).as("the user's certificate")
                .contains("CN=localhost");

        assertThat(https.send(get("https://localhost:" + port + "/api/status", HASH), BodyHandlers.ofString())
                .statusCode()).as("the hash is no password").isEqualTo(401);
        assertThat(https.send(get("https://localhost:" + port + "/api/status", "wrong-password"),
                BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateAndPlainHttpGetNoAnswer() throws Exception {
        assertThatThrownBy(() -> HttpClient.newHttpClient()
                .send(get("https://localhost:" + port + "/api/status", PASSWORD), BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
        HttpResponse<String> plain = HttpClient.newHttpClient()
                .send(get("http://localhost:" + port + "/api/status", PASSWORD), BodyHandlers.ofString());
        assertThat(plain.statusCode()).as("Tomcat's answer to plain HTTP on a TLS port").isEqualTo(400);
        assertThat(plain.body()).doesNotContain("\"deviceId\"");
    }

    @Test
    void thePlainPasswordIsStoredNowhere(CapturedOutput output) throws Exception {
        assertThat(DATA_DIR.resolve(WebSecurityConfig.PASSWORD_FILE_NAME)).as("no generated password either")
                .doesNotExist();
        try (Stream<Path> files = Files.walk(DATA_DIR)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(PASSWORD);
            }
        }
        assertThat(output.getAll()).doesNotContain(PASSWORD, HASH)
                .contains("Web login: user 'admin', password from spring.security.user.password");
    }

    /** What the README says to run: {@code mqtts-scale hash-password}, the password typed in. */
    private static String hashed(String password) {
        InputStream typed = new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = SubCommands.run(new String[]{"hash-password"}, typed, new PrintStream(printed, true,
                StandardCharsets.UTF_8)).orElseThrow();
        String hash = printed.toString(StandardCharsets.UTF_8).strip();
        assertThat(exit).as(hash).isZero();
        assertThat(hash).startsWith("{bcrypt}$2a$10$").doesNotContain(password);
        return hash;
    }

    private static HttpRequest get(String url, String password) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8))).build();
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
