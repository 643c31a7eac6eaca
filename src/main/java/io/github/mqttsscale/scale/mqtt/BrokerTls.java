package io.github.mqttsscale.scale.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;

/**
 * Builds the {@link SSLSocketFactory} the MQTT client connects with, from PEM or DER files, using Spring Boot's SSL
 * bundle classes ({@link PemSslStoreBundle}, {@link SslBundle}).
 *
 * <h2>Trust</h2>
 * <ul>
 * <li>{@code scale.mqtt.ca} unset: the JVM's default trust store (cacerts) verifies the broker. This is what
 * HiveMQ Cloud and other brokers with publicly trusted certificates need.</li>
 * <li>{@code scale.mqtt.ca} set: the certificates in that file are the ONLY trust anchors. The JVM's default trust
 * store is not consulted at all, so a broker with a public certificate is refused unless its CA is in the file.</li>
 * </ul>
 * There is deliberately no way to switch certificate or host-name verification off.
 *
 * <h2>Host name</h2>
 * Every socket the factory creates has endpoint identification {@code HTTPS} set, so the broker certificate must name
 * the host the client connects to (SAN DNS name or IP address), even if the MQTT client's own host-name check is
 * switched off.
 *
 * <h2>Client certificate</h2>
 * {@code scale.mqtt.client-cert} and {@code scale.mqtt.client-key} go together (both or neither). The key may be
 * PEM (PKCS#8, PKCS#1 RSA, SEC1 EC) or DER (PKCS#8, PKCS#1 RSA as made by {@code openssl rsa -outform DER}, SEC1 EC);
 * it must not be encrypted. The key must belong to the certificate (checked by signing and verifying a random
 * challenge). An expired client certificate is an error (the broker would refuse every connection); a certificate
 * that is not valid yet only draws a warning, because on a Raspberry Pi without a real-time clock that usually means
 * the clock has not been set by NTP yet. A key file that other users may read, or that group or others may write,
 * draws a warning. Group read is allowed: the Debian package's service reads a key owned by root, group
 * mqtts-scale, mode 640, so that the service can use the key but neither change it nor share it.
 */
public final class BrokerTls {

    public static final String CA_PROPERTY = "scale.mqtt.ca";
    public static final String CLIENT_CERT_PROPERTY = "scale.mqtt.client-cert";
    public static final String CLIENT_KEY_PROPERTY = "scale.mqtt.client-key";

    private static final Logger LOG = LoggerFactory.getLogger(BrokerTls.class);

    /** PEM labels tried, in order, for a DER private key: PKCS#8, PKCS#1 RSA, SEC1 EC. */
    private static final List<String> DER_KEY_LABELS = List.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY");

    private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private BrokerTls() {
    }

    /**
     * The socket factory for the MQTT client: trust and client certificate as described in the class comment, and
     * host-name verification on every socket.
     *
     * @throws BrokerTlsException when a file is missing, unreadable, of the wrong kind, or the key does not match
     */
    public static SSLSocketFactory socketFactory(TlsFiles files) {
        return new HostnameVerifyingSocketFactory(sslBundle(files).createSslContext().getSocketFactory());
    }

    /**
     * The Spring Boot SSL bundle behind {@link #socketFactory(TlsFiles)} (without the host-name enforcement, which
     * lives on the sockets).
     *
     * @throws BrokerTlsException when a file is missing, unreadable, of the wrong kind, or the key does not match
     */
    public static SslBundle sslBundle(TlsFiles files) {
        Objects.requireNonNull(files, "files");
        PemSslStore trust = files.ca() == null ? null : PemSslStore.of(caCertificates(files.ca()), null);
        PemSslStore identity = clientIdentity(files.clientCert(), files.clientKey());
        LOG.info("MQTT TLS: trusting {}; {}",
                files.ca() == null ? "the JVM's default trust store" : "only the CA certificates in " + files.ca(),
                identity == null
                        ? "no client certificate"
                        : "client certificate " + identity.certificates().get(0).getSubjectX500Principal().getName()
                                + " valid until " + identity.certificates().get(0).getNotAfter().toInstant());
        return SslBundle.of(new PemSslStoreBundle(identity, trust));
    }

    private static List<X509Certificate> caCertificates(Path ca) {
        List<X509Certificate> certificates = certificates(CA_PROPERTY, ca);
        for (X509Certificate certificate : certificates) {
            checkValidity(CA_PROPERTY, ca, certificate, false);
        }
        return certificates;
    }

    private static PemSslStore clientIdentity(Path certPath, Path keyPath) {
        if (certPath == null && keyPath == null) {
            return null;
        }
        if (keyPath == null) {
            throw new BrokerTlsException(CLIENT_KEY_PROPERTY, null, "not set, but " + CLIENT_CERT_PROPERTY + " is ("
                    + certPath + "): a client certificate needs its private key. Set both, or neither.");
        }
        if (certPath == null) {
            throw new BrokerTlsException(CLIENT_CERT_PROPERTY, null, "not set, but " + CLIENT_KEY_PROPERTY + " is ("
                    + keyPath + "): a private key needs its client certificate. Set both, or neither.");
        }
        List<X509Certificate> chain = certificates(CLIENT_CERT_PROPERTY, certPath);
        PrivateKey key = privateKey(keyPath);
        X509Certificate leaf = chain.get(0);
        if (!belongsTo(key, leaf)) {
            throw new BrokerTlsException(CLIENT_KEY_PROPERTY, keyPath, "this private key does not belong to the "
                    + "certificate in " + CLIENT_CERT_PROPERTY + " (" + certPath + ", subject "
                    + leaf.getSubjectX500Principal().getName() + "). Configure the key that was generated together "
                    + "with that certificate (the public keys printed by 'openssl x509 -noout -pubkey -in <cert>' and "
                    + "'openssl pkey -pubout -in <key>' must be identical).");
        }
        checkValidity(CLIENT_CERT_PROPERTY, certPath, leaf, true);
        return PemSslStore.of(chain, key);
    }

    private static List<X509Certificate> certificates(String property, Path path) {
        byte[] bytes = read(property, path);
        String text = isPem(bytes) ? new String(bytes, StandardCharsets.US_ASCII) : pem("CERTIFICATE", bytes);
        try {
            List<X509Certificate> certificates = PemContent.of(text).getCertificates();
            if (!certificates.isEmpty()) {
                return certificates;
            }
        } catch (RuntimeException ex) {
            // reported below
        }
        String hint = looksLikeKey(text, bytes)
                ? "it holds a private key, not a certificate (are " + CLIENT_CERT_PROPERTY + " and "
                        + CLIENT_KEY_PROPERTY + " swapped?)"
                : "it is not an X.509 certificate";
        throw new BrokerTlsException(property, path, hint + ". Expected a PEM file with '-----BEGIN CERTIFICATE-----' "
                + "blocks or a DER certificate (e.g. cert.der).");
    }

    private static PrivateKey privateKey(Path path) {
        byte[] bytes = read(CLIENT_KEY_PROPERTY, path);
        PrivateKey key = keyFrom(path, bytes);
        warnIfReadableByOthers(path);
        return key;
    }

    private static PrivateKey keyFrom(Path path, byte[] bytes) {
        if (isPem(bytes)) {
            String text = new String(bytes, StandardCharsets.US_ASCII);
            if (text.contains("ENCRYPTED")) {
                throw new BrokerTlsException(CLIENT_KEY_PROPERTY, path, "the private key is encrypted, which is not "
                        + "supported. Write an unencrypted copy that only the scale's user can read: "
                        + "'openssl pkey -in <key> -out <new key>' then 'chmod 600 <new key>'.");
            }
            PrivateKey key = parseKey(text);
            if (key != null) {
                return key;
            }
        } else {
            for (String label : DER_KEY_LABELS) {
                PrivateKey key = parseKey(pem(label, bytes));
                if (key != null) {
                    return key;
                }
            }
        }
        String hint = looksLikeCertificate(bytes)
                ? "it holds a certificate, not a private key (are " + CLIENT_CERT_PROPERTY + " and "
                        + CLIENT_KEY_PROPERTY + " swapped?)"
                : "it is not a private key";
        throw new BrokerTlsException(CLIENT_KEY_PROPERTY, path, hint + ". Expected an unencrypted PEM key "
                + "('-----BEGIN PRIVATE KEY-----', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY') or a DER key "
                + "(e.g. key.der from 'openssl rsa -in key.pem -outform DER -out key.der').");
    }

    private static PrivateKey parseKey(String pem) {
        try {
            return PemContent.of(pem).getPrivateKey();
        } catch (RuntimeException ex) {
            return null;
        }
    }

    private static boolean looksLikeKey(String text, byte[] bytes) {
        if (isPem(bytes)) {
            return text.contains("PRIVATE KEY");
        }
        return DER_KEY_LABELS.stream().anyMatch(label -> parseKey(pem(label, bytes)) != null);
    }

    private static boolean looksLikeCertificate(byte[] bytes) {
        String text = isPem(bytes) ? new String(bytes, StandardCharsets.US_ASCII) : pem("CERTIFICATE", bytes);
        try {
            return !PemContent.of(text).getCertificates().isEmpty();
        } catch (RuntimeException ex) {
            return false;
        }
    }

    private static byte[] read(String property, Path path) {
        if (Files.isDirectory(path)) {
            throw new BrokerTlsException(property, path, "this is a directory. Point the property at the file.");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException ex) {
            throw new BrokerTlsException(property, path, "the file does not exist. Check the path (a relative path is "
                    + "resolved against the working directory " + Path.of("").toAbsolutePath() + ").");
        } catch (AccessDeniedException ex) {
            throw new BrokerTlsException(property, path, "the file is not readable by user '"
                    + System.getProperty("user.name") + "'. Give that user read access (e.g. chown it to that user; "
                    + "chmod 600 for a key, 644 for a certificate).");
        } catch (IOException ex) {
            throw new BrokerTlsException(property, path, "the file cannot be read (" + ex + ").", ex);
        }
        if (bytes.length == 0) {
            throw new BrokerTlsException(property, path, "the file is empty. Copy the real file there.");
        }
        return bytes;
    }

    private static void warnIfReadableByOthers(Path keyPath) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(keyPath);
        } catch (UnsupportedOperationException | IOException ex) {
            return; // not a POSIX file system: nothing to check
        }
        if (permissions.stream().anyMatch(TOO_OPEN::contains)) {
            LOG.warn("{} ({}) is readable by other users or writable by group or others (permissions {}): anyone who "
                    + "can read it can impersonate this scale. Restrict it with: chmod 600 {} (or, read through the "
                    + "service's group: chown root:mqtts-scale and chmod 640)", CLIENT_KEY_PROPERTY, keyPath,
                    PosixFilePermissions.toString(permissions), keyPath);
        }
    }

    private static void checkValidity(String property, Path path, X509Certificate certificate, boolean failIfExpired) {
        String subject = certificate.getSubjectX500Principal().getName();
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException ex) {
            String problem = "the certificate " + subject + " expired on " + certificate.getNotAfter().toInstant()
                    + " (the clock says " + Instant.now() + ").";
            if (failIfExpired) {
                throw new BrokerTlsException(property, path, problem + " The broker refuses expired client "
                        + "certificates: issue a new one.");
            }
            LOG.warn("{} ({}): {} Brokers whose certificates chain to it may be refused: get the current CA "
                    + "certificate.", property, path, problem);
        } catch (CertificateNotYetValidException ex) {
            LOG.warn("{} ({}): the certificate {} is not valid before {} but the clock says {}. If the clock is wrong "
                    + "(a Raspberry Pi has no real-time clock and waits for NTP), TLS connections fail until it is "
                    + "set.", property, path, subject, certificate.getNotBefore().toInstant(), Instant.now());
        }
    }

    /** Whether {@code key} is the private half of the certificate's public key (sign, then verify). */
    private static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            LOG.debug("Cannot check that a {} key matches its certificate; the TLS handshake will", key.getAlgorithm());
            return true;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException ex) {
            return false; // e.g. an EC key with an RSA certificate
        }
    }

    private static boolean isPem(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN");
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /**
     * Delegates to the SSL context's factory and turns on endpoint identification ({@code HTTPS}) on every socket, so
     * that the broker's certificate must match the host name whatever the MQTT client does.
     */
    private static final class HostnameVerifyingSocketFactory extends SSLSocketFactory {

        private final SSLSocketFactory delegate;

        HostnameVerifyingSocketFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return verifying(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return verifying(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return verifying(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return verifying(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return verifying(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return verifying(delegate.createSocket(address, port, localAddress, localPort));
        }

        private static Socket verifying(Socket socket) {
            if (socket instanceof SSLSocket sslSocket) {
                SSLParameters parameters = sslSocket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                sslSocket.setSSLParameters(parameters);
            }
            return socket;
        }
    }
}
