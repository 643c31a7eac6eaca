package io.github.mqttsscale.scale.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.github.mqttsscale.scale.mqtt.TlsFiles;

/**
 * A throw-away PKI made at run time in a directory: a test CA, broker and client certificates signed by it, and
 * certificates that must be refused (another CA, a wrong host name, an expired client certificate). Keys and
 * certificates are written as PEM and DER; the broker's stores as JKS protected by {@link #storePassword()}.
 * Key files get permissions 600 where the file system supports it.
 */
public final class TestPki {

    /** The host names and address in the SAN of the good broker certificates. */
    public static final String BROKER_HOST = "localhost";
    public static final String BROKER_IP = "127.0.0.1";
    /** The only name in the SAN of {@link #wrongHostBrokerKeyStore()}. */
    public static final String WRONG_HOST = "wrong-host.invalid";

    private static final String STORE_PASSWORD = "test-store-secret";
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private static TestPki shared;

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /**
     * One PKI for the whole test JVM, made on first use in a temporary directory that is deleted when the JVM exits.
     * Its files must not be changed (copy them first).
     */
    public static synchronized TestPki shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("mqtts-scale-pki-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir), "delete-test-pki"));
                shared = create(dir);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return shared;
    }

    /** Makes all keys and certificates in {@code dir} (created if missing). Takes about a second. */
    public static TestPki create(Path dir) {
        try {
            Files.createDirectories(dir);
            TestPki pki = new TestPki(dir);
            pki.generate();
            return pki;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (GeneralSecurityException | OperatorCreationException ex) {
            throw new IllegalStateException("Cannot make the test PKI", ex);
        }
    }

    private void generate() throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofHours(1));
        Instant until = now.plus(Duration.ofDays(2));

        Issued ca = selfSignedCa("CN=mqtts-scale test CA", ec());
        writeCertificate(ca.certificate(), "ca");
        Issued otherCa = selfSignedCa("CN=unrelated test CA", ec());
        writeCertificate(otherCa.certificate(), "other-ca");

        Issued broker = broker(ca, from, until, BROKER_HOST);
        writeKeyStore(broker, ca, "broker.jks");
        // the same key and certificate as PEM files, for a broker that is not Java (Mosquitto)
        writeCertificate(broker.certificate(), "broker");
        writeKey("broker-key.pem", pem("PRIVATE KEY", broker.keyPair().getPrivate().getEncoded()));
        writeKeyStore(broker(otherCa, from, until, BROKER_HOST), otherCa, "untrusted-broker.jks");
        writeKeyStore(broker(ca, from, until, WRONG_HOST), ca, "wrong-host-broker.jks");
        KeyStore trustStore = KeyStore.getInstance("JKS");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("ca", ca.certificate());
        store(trustStore, "broker-truststore.jks");

        KeyPair rsa = rsa();
        Issued client = leaf(ca, "CN=scale-client", rsa, from, until, KeyPurposeId.id_kp_clientAuth, null);
        writeCertificate(client.certificate(), "client");
        writeKey("client-key.pem", pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        byte[] pkcs1 = traditionalEncoding(rsa);
        writeKey("client-key-pkcs1.pem", pem("RSA PRIVATE KEY", pkcs1));
        writeKey("client-key.der", pkcs1);

        KeyPair ecKey = ec();
        Issued clientEc = leaf(ca, "CN=scale-client-ec", ecKey, from, until, KeyPurposeId.id_kp_clientAuth, null);
        writeCertificate(clientEc.certificate(), "client-ec");
        writeKey("client-ec-key.pem", pem("EC PRIVATE KEY", sec1(ecKey)));

        // what a user gives the web server (server.ssl.bundle): a certificate for localhost and its key, as PEM
        Issued webServer = broker(ca, from, until, BROKER_HOST);
        writeCertificate(webServer.certificate(), "web-server");
        writeKey("web-server-key.pem", pem("PRIVATE KEY", webServer.keyPair().getPrivate().getEncoded()));

        Issued expired = leaf(ca, "CN=scale-client-expired", rsa, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)), KeyPurposeId.id_kp_clientAuth, null);
        writeCertificate(expired.certificate(), "client-expired");
    }

    // ---- paths --------------------------------------------------------------------------------------------------

    public Path dir() {
        return dir;
    }

    /** The test CA certificate, PEM. */
    public Path caCertPem() {
        return dir.resolve("ca.pem");
    }

    /** The broker's certificate (for {@link #BROKER_HOST} and {@link #BROKER_IP}), PEM, as in {@link #brokerKeyStore()}. */
    public Path brokerCertPem() {
        return dir.resolve("broker.pem");
    }

    /** The broker's private key, PKCS#8 PEM. */
    public Path brokerKeyPem() {
        return dir.resolve("broker-key.pem");
    }

    /** The test CA certificate, DER. */
    public Path caCertDer() {
        return dir.resolve("ca.der");
    }

    /** A CA that signed nothing the good broker uses, PEM: trusting only it must refuse the broker. */
    public Path otherCaCertPem() {
        return dir.resolve("other-ca.pem");
    }

    /** JKS with the broker key and the certificate chain for {@value #BROKER_HOST} / {@value #BROKER_IP}. */
    public Path brokerKeyStore() {
        return dir.resolve("broker.jks");
    }

    /** JKS with the test CA, for the broker to verify client certificates. */
    public Path brokerTrustStore() {
        return dir.resolve("broker-truststore.jks");
    }

    /** JKS with a {@value #BROKER_HOST} certificate signed by the other CA (untrusted by clients of the test CA). */
    public Path untrustedBrokerKeyStore() {
        return dir.resolve("untrusted-broker.jks");
    }

    /** JKS with a certificate signed by the test CA for {@value #WRONG_HOST} only. */
    public Path wrongHostBrokerKeyStore() {
        return dir.resolve("wrong-host-broker.jks");
    }

    /** Password of every JKS store and key in it. */
    public String storePassword() {
        return STORE_PASSWORD;
    }

    /** Client certificate (RSA key) signed by the test CA, PEM. */
    public Path clientCertPem() {
        return dir.resolve("client.pem");
    }

    /** The same client certificate, DER (what the original project's {@code cert.der} is). */
    public Path clientCertDer() {
        return dir.resolve("client.der");
    }

    /** The client's RSA key, PEM PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public Path clientKeyPkcs8Pem() {
        return dir.resolve("client-key.pem");
    }

    /** The client's RSA key, PEM PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
    public Path clientKeyPkcs1Pem() {
        return dir.resolve("client-key-pkcs1.pem");
    }

    /** The client's RSA key, DER PKCS#1 (what {@code openssl rsa -outform DER} makes: the original's key.der). */
    public Path clientKeyPkcs1Der() {
        return dir.resolve("client-key.der");
    }

    /** A second client certificate with an EC P-256 key, PEM. */
    public Path clientEcCertPem() {
        return dir.resolve("client-ec.pem");
    }

    /** The EC client key, PEM SEC1 ({@code BEGIN EC PRIVATE KEY}). */
    public Path clientEcKeyPem() {
        return dir.resolve("client-ec-key.pem");
    }

    /** An expired certificate for the client's RSA key (it matches {@link #clientKeyPkcs8Pem()}), PEM. */
    public Path expiredClientCertPem() {
        return dir.resolve("client-expired.pem");
    }

    /** A server certificate for localhost (and 127.0.0.1) issued by {@link #caCertPem()}, PEM. */
    public Path webServerCertPem() {
        return dir.resolve("web-server.pem");
    }

    /** Its private key, PKCS#8 PEM. */
    public Path webServerKeyPem() {
        return dir.resolve("web-server-key.pem");
    }

    /** Test CA + client certificate + PKCS#8 key: what a client of the test broker needs. */
    public TlsFiles clientTlsFiles() {
        return new TlsFiles(caCertPem(), clientCertPem(), clientKeyPkcs8Pem());
    }

    // ---- generation ---------------------------------------------------------------------------------------------

    private record Issued(KeyPair keyPair, X509Certificate certificate) {
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static Issued selfSignedCa(String subject, KeyPair keyPair)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = builder(new X500Name(subject), new X500Name(subject), keyPair,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(keyPair.getPublic()));
        return new Issued(keyPair, sign(builder, keyPair));
    }

    private static Issued broker(Issued ca, Instant from, Instant until, String host)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        GeneralNames names = BROKER_HOST.equals(host)
                ? new GeneralNames(new GeneralName[]{new GeneralName(GeneralName.dNSName, host),
                        new GeneralName(GeneralName.iPAddress, BROKER_IP)})
                : new GeneralNames(new GeneralName(GeneralName.dNSName, host));
        return leaf(ca, "CN=" + host, ec(), from, until, KeyPurposeId.id_kp_serverAuth, names);
    }

    private static Issued leaf(Issued ca, String subject, KeyPair keyPair, Instant from, Instant until,
            KeyPurposeId purpose, GeneralNames subjectAltNames)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X509v3CertificateBuilder builder = builder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                new X500Name(subject), keyPair, from, until);
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        int usage = "RSA".equals(keyPair.getPublic().getAlgorithm())
                ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature;
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(keyPair.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                utils.createAuthorityKeyIdentifier(ca.certificate()));
        if (subjectAltNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
        }
        return new Issued(keyPair, sign(builder, ca.keyPair()));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keyPair, Instant from,
            Instant until) {
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(from), Date.from(until), subject, keyPair.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        String algorithm = "RSA".equals(signer.getPrivate().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
    }

    /** PKCS#1: the RSA key inside the PKCS#8 wrapper. */
    private static byte[] traditionalEncoding(KeyPair keyPair) throws IOException {
        ASN1Encodable inner = PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded()).parsePrivateKey();
        return inner.toASN1Primitive().getEncoded();
    }

    /** SEC1 as openssl writes it: private value, curve OID and public key. */
    private static byte[] sec1(KeyPair keyPair) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded());
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
        BigInteger secret = ((ECPrivateKey) keyPair.getPrivate()).getS();
        return new org.bouncycastle.asn1.sec.ECPrivateKey(256, secret, publicKey.getPublicKeyData(),
                info.getPrivateKeyAlgorithm().getParameters()).getEncoded();
    }

    // ---- files --------------------------------------------------------------------------------------------------

    private void writeCertificate(X509Certificate certificate, String baseName)
            throws IOException, GeneralSecurityException {
        byte[] der = certificate.getEncoded();
        Files.write(dir.resolve(baseName + ".der"), der);
        Files.writeString(dir.resolve(baseName + ".pem"), pem("CERTIFICATE", der), StandardCharsets.US_ASCII);
    }

    private void writeKey(String fileName, String pem) throws IOException {
        writeKey(fileName, pem.getBytes(StandardCharsets.US_ASCII));
    }

    private void writeKey(String fileName, byte[] content) throws IOException {
        Path file = dir.resolve(fileName);
        Files.write(file, content);
        ownerOnly(file);
    }

    private void writeKeyStore(Issued broker, Issued ca, String fileName) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("JKS");
        keyStore.load(null, null);
        List<Certificate> chain = new ArrayList<>(List.of(broker.certificate(), ca.certificate()));
        keyStore.setKeyEntry("broker", broker.keyPair().getPrivate(), STORE_PASSWORD.toCharArray(),
                chain.toArray(Certificate[]::new));
        store(keyStore, fileName);
    }

    private void store(KeyStore keyStore, String fileName) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore.store(out, STORE_PASSWORD.toCharArray());
        }
        ownerOnly(file);
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ex) {
            // not a POSIX file system
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ex) {
            // best effort at JVM exit
        }
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
