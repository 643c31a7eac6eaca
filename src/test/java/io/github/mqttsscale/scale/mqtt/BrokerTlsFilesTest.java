package io.github.mqttsscale.scale.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.github.mqttsscale.scale.testsupport.TestPki;

/** What a user who configured the wrong file is told, and the warnings. No broker needed. */
class BrokerTlsFilesTest {

    private static final TestPki PKI = TestPki.shared();

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger brokerTlsLogger = (Logger) LoggerFactory.getLogger(BrokerTls.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        brokerTlsLogger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        brokerTlsLogger.detachAppender(logs);
    }

    @Test
    void withoutFilesTheJvmDefaultsAreUsed() {
        assertThat(BrokerTls.socketFactory(TlsFiles.none())).isNotNull();
        assertThat(messages(Level.INFO)).anySatisfy(m -> assertThat(m).contains("JVM's default trust store"));
    }

    @Test
    void missingCaFileNamesPropertyAndPath() {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> BrokerTls.socketFactory(TlsFiles.trusting(missing)))
                .isInstanceOf(BrokerTlsException.class)
                .hasMessageStartingWith("scale.mqtt.ca (" + missing + ")")
                .hasMessageContaining("does not exist");
    }

    @Test
    void directoryInsteadOfFileIsReported() {
        assertThatThrownBy(() -> BrokerTls.socketFactory(TlsFiles.trusting(dir)))
                .hasMessageStartingWith("scale.mqtt.ca (" + dir + ")")
                .hasMessageContaining("directory");
    }

    @Test
    void emptyCertificateFileIsReported() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.pem"));
        assertThatThrownBy(() -> BrokerTls.socketFactory(
                new TlsFiles(null, empty, PKI.clientKeyPkcs8Pem())))
                .hasMessageStartingWith("scale.mqtt.client-cert (" + empty + ")")
                .hasMessageContaining("empty");
    }

    @Test
    void garbageCaFileIsNotACertificate() throws Exception {
        Path garbage = Files.writeString(dir.resolve("ca.pem"), "this is not a certificate\n");
        assertThatThrownBy(() -> BrokerTls.socketFactory(TlsFiles.trusting(garbage)))
                .hasMessageStartingWith("scale.mqtt.ca (" + garbage + ")")
                .hasMessageContaining("not an X.509 certificate");
    }

    @Test
    void swappedCertificateAndKeyAreRecognised() {
        assertThatThrownBy(() -> BrokerTls.socketFactory(
                new TlsFiles(null, PKI.clientKeyPkcs1Der(), PKI.clientCertDer())))
                .hasMessageStartingWith("scale.mqtt.client-cert (" + PKI.clientKeyPkcs1Der() + ")")
                .hasMessageContaining("private key, not a certificate")
                .hasMessageContaining("swapped");
    }

    @Test
    void certificateGivenAsKeyIsNotAPrivateKey() {
        assertThatThrownBy(() -> BrokerTls.socketFactory(
                new TlsFiles(null, PKI.clientCertPem(), PKI.caCertPem())))
                .hasMessageStartingWith("scale.mqtt.client-key (" + PKI.caCertPem() + ")")
                .hasMessageContaining("certificate, not a private key");
    }

    @Test
    void certificateWithoutKeyNamesTheMissingKeyProperty() {
        assertThatThrownBy(() -> BrokerTls.socketFactory(new TlsFiles(null, PKI.clientCertPem(), null)))
                .hasMessageStartingWith("scale.mqtt.client-key: not set")
                .hasMessageContaining(PKI.clientCertPem().toString())
                .hasMessageContaining("both, or neither");
    }

    @Test
    void keyWithoutCertificateNamesTheMissingCertificateProperty() {
        assertThatThrownBy(() -> BrokerTls.socketFactory(new TlsFiles(null, null, PKI.clientKeyPkcs8Pem())))
                .hasMessageStartingWith("scale.mqtt.client-cert: not set")
                .hasMessageContaining(PKI.clientKeyPkcs8Pem().toString());
    }

    @Test
    void keyOfAnotherCertificateIsRefused() {
        assertThatThrownBy(() -> BrokerTls.socketFactory(
                new TlsFiles(null, PKI.clientCertPem(), PKI.clientEcKeyPem())))
                .hasMessageStartingWith("scale.mqtt.client-key (" + PKI.clientEcKeyPem() + ")")
                .hasMessageContaining("does not belong to the certificate")
                .hasMessageContaining(PKI.clientCertPem().toString());
    }

    @Test
    void expiredClientCertificateIsRefused() {
        assertThatThrownBy(() -> BrokerTls.socketFactory(
                new TlsFiles(null, PKI.expiredClientCertPem(), PKI.clientKeyPkcs8Pem())))
                .hasMessageStartingWith("scale.mqtt.client-cert (" + PKI.expiredClientCertPem() + ")")
                .hasMessageContaining("expired on");
    }

    @Test
    void encryptedKeyIsReportedWithTheFix() throws Exception {
        Path encrypted = Files.writeString(dir.resolve("enc.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQww\n"
                        + "-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> BrokerTls.socketFactory(new TlsFiles(null, PKI.clientCertPem(), encrypted)))
                .hasMessageStartingWith("scale.mqtt.client-key (" + encrypted + ")")
                .hasMessageContaining("encrypted")
                .hasMessageContaining("openssl pkey");
    }

    @Test
    void keyReadableByOthersDrawsAWarningWithTheChmodFix() throws Exception {
        Path key = pemKeyWithPermissions("rw-r--r--");

        assertThat(messages(Level.WARN)).singleElement().satisfies(warning -> assertThat(warning)
                .contains("scale.mqtt.client-key", key.toString(), "rw-r--r--", "chmod 600 " + key));
        String keyBody = Files.readString(key, StandardCharsets.US_ASCII).split("\n")[1];
        assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
                .doesNotContain("PRIVATE KEY").doesNotContain(keyBody));
    }

    @Test
    void keyWritableByTheGroupDrawsAWarning() throws Exception {
        Path key = pemKeyWithPermissions("rw-rw----");

        assertThat(messages(Level.WARN)).singleElement().satisfies(warning -> assertThat(warning)
                .contains("scale.mqtt.client-key", "rw-rw----", "chmod 600 " + key));
    }

    /** What the package's docs advise for the service: root owns it, group mqtts-scale (the service) may read it. */
    @Test
    void keyReadableByItsGroupOnlyDrawsNoWarning() throws Exception {
        pemKeyWithPermissions("rw-r-----");

        assertThat(messages(Level.WARN)).isEmpty();
    }

    @Test
    void keyReadableOnlyByTheOwnerDrawsNoWarning() throws Exception {
        Path key = Files.copy(PKI.clientKeyPkcs1Der(), dir.resolve("key.der"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        BrokerTls.socketFactory(new TlsFiles(PKI.caCertDer(), PKI.clientCertDer(), key));

        assertThat(messages(Level.WARN)).isEmpty();
    }

    /** A PEM client key with these permissions, loaded as the scale loads it (the warnings land in {@code logs}). */
    private Path pemKeyWithPermissions(String permissions) throws Exception {
        Path key = Files.copy(PKI.clientKeyPkcs8Pem(), dir.resolve("key.pem"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(permissions));
        BrokerTls.socketFactory(new TlsFiles(PKI.caCertPem(), PKI.clientCertPem(), key));
        return key;
    }

    private List<String> messages(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
