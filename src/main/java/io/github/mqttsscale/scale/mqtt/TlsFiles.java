package io.github.mqttsscale.scale.mqtt;

import java.nio.file.Path;

/**
 * The files that configure the TLS side of the broker connection. Every path may be {@code null}.
 *
 * @param ca         {@code scale.mqtt.ca}: PEM or DER file with one or more CA certificates. When set, these
 *                   certificates are the ONLY trust anchors: the JVM's default trust store is not consulted.
 *                   Leave it unset for brokers with publicly trusted certificates (HiveMQ Cloud).
 * @param clientCert {@code scale.mqtt.client-cert}: PEM or DER client certificate (optionally followed by its
 *                   intermediate certificates in PEM). Only together with {@code clientKey}.
 * @param clientKey  {@code scale.mqtt.client-key}: PEM (PKCS#8, PKCS#1 RSA or SEC1 EC) or DER private key of the
 *                   client certificate, unencrypted. Only together with {@code clientCert}.
 */
public record TlsFiles(Path ca, Path clientCert, Path clientKey) {

    /** No files: the JVM's default trust store and no client certificate. */
    public static TlsFiles none() {
        return new TlsFiles(null, null, null);
    }

    /** Only a CA file, no client certificate. */
    public static TlsFiles trusting(Path ca) {
        return new TlsFiles(ca, null, null);
    }
}
