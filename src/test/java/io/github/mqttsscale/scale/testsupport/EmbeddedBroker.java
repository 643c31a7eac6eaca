package io.github.mqttsscale.scale.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * A real HiveMQ CE broker in this JVM with one TLS listener on {@code 127.0.0.1:port()}. Clients connect with
 * {@link #url()} ({@code ssl://localhost:<port>}), must present {@link #username()}/{@link #password()} (checked by an
 * embedded extension; without one HiveMQ lets everyone in) and, by default, a client certificate signed by the test CA.
 * The same extension can make it refuse one client's publishes to a topic ({@link #refusePublishes}).
 * <p>
 * {@link #stop()} and {@link #start()} may be repeated; the port stays the same. Persistence is in memory, so a restart
 * loses sessions, subscriptions and retained messages (like a broker that lost its disk). HiveMQ's logging bootstrap is
 * off: the test's logback configuration applies (HiveMQ at WARN).
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** The listener's {@code client-authentication-mode}. */
    public enum ClientAuth {
        /** A client certificate signed by the test CA is required. */
        REQUIRED,
        /** A client certificate is checked if the client sends one. */
        OPTIONAL,
        /** No client certificate is asked for. */
        NONE
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path home;
    private final int port;
    private final String username;
    private final String password;
    private EmbeddedHiveMQ hiveMq;
    private volatile Refusal refusal;

    /** Publishes of one client to one topic that the broker answers with a refusal, and whether it then disconnects. */
    private record Refusal(String clientId, String topic, AckReasonCode reasonCode, boolean disconnect) {
        boolean refuses(String publisher, String publishedTo, boolean byAuthorizer) {
            return disconnect == byAuthorizer && clientId.equals(publisher) && topic.equals(publishedTo);
        }
    }

    private EmbeddedBroker(Builder builder) throws IOException {
        this.home = Files.createTempDirectory(builder.pki.dir(), "broker-");
        this.port = builder.port != 0 ? builder.port : freePort();
        this.username = builder.username;
        this.password = builder.password;
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("extensions"));
        Files.writeString(home.resolve("conf").resolve("config.xml"), configXml(builder, port), StandardCharsets.UTF_8);
    }

    /** A broker using {@code pki}'s good broker certificate, requiring client certificates; not started yet. */
    public static Builder builder(TestPki pki) {
        return new Builder(pki);
    }

    /** Starts a broker with the defaults of {@link #builder(TestPki)}. */
    public static EmbeddedBroker startDefault(TestPki pki) {
        return builder(pki).build().start();
    }

    /** Starts the broker (again) on the same port and waits until the TLS listener accepts connections. */
    public synchronized EmbeddedBroker start() {
        if (hiveMq != null) {
            return this;
        }
        EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .withEmbeddedExtension(authenticationExtension())
                .withoutLoggingBootstrap()
                .build();
        try {
            broker.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            awaitListening();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            closeQuietly(broker);
            throw new IllegalStateException("Interrupted while starting the broker", ex);
        } catch (ExecutionException | TimeoutException | RuntimeException ex) {
            closeQuietly(broker);
            throw new IllegalStateException("The embedded broker did not start on port " + port, ex);
        }
        hiveMq = broker;
        return this;
    }

    /** Stops the broker; connected clients lose their connection. No-op when stopped. */
    public synchronized void stop() {
        if (hiveMq == null) {
            return;
        }
        try {
            hiveMq.close();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the broker", ex);
        } catch (ExecutionException ex) {
            throw new IllegalStateException("The embedded broker did not stop cleanly", ex);
        } finally {
            hiveMq = null;
        }
    }

    /** {@link #stop()} then {@link #start()} on the same port. */
    public EmbeddedBroker restart() {
        stop();
        return start();
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return hiveMq != null;
    }

    public int port() {
        return port;
    }

    /** {@code ssl://localhost:<port>}: the host name in the good broker certificate. */
    public String url() {
        return "ssl://" + TestPki.BROKER_HOST + ":" + port;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /**
     * From now on (also across restarts) the broker's authorizer refuses every publish of {@code clientId} to
     * {@code topic}, as a broker whose permissions leave the topic out: HiveMQ answers an MQTT 5 client's QoS 1
     * publish with a PUBACK carrying {@code reasonCode} (e.g. 0x87 not authorized) and then disconnects it.
     * {@link #allowAllPublishes()} ends it.
     */
    public void refusePublishes(String clientId, String topic, AckReasonCode reasonCode) {
        refusal = new Refusal(clientId, topic, reasonCode, true);
    }

    /**
     * As {@link #refusePublishes}, but the refusal is only the PUBACK's reason code (e.g. 0x97 quota exceeded): the
     * client stays connected.
     */
    public void refusePublishesStayingConnected(String clientId, String topic, AckReasonCode reasonCode) {
        refusal = new Refusal(clientId, topic, reasonCode, false);
    }

    public void allowAllPublishes() {
        refusal = null;
    }

    // ---- configuration ------------------------------------------------------------------------------------------

    private static String configXml(Builder builder, int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tls-tcp-listener>
                            <port>%s</port>
                            <bind-address>%s</bind-address>
                            <name>test-tls</name>
                            <tls>
                                <keystore>
                                    <path>%s</path>
                                    <password>%s</password>
                                    <private-key-password>%s</private-key-password>
                                </keystore>
                                <truststore>
                                    <path>%s</path>
                                    <password>%s</password>
                                </truststore>
                                <client-authentication-mode>%s</client-authentication-mode>
                            </tls>
                        </tls-tcp-listener>
                    </listeners>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, TestPki.BROKER_IP,
                xml(builder.keyStore.toAbsolutePath().toString()), xml(builder.pki.storePassword()),
                xml(builder.pki.storePassword()),
                xml(builder.pki.brokerTrustStore().toAbsolutePath().toString()), xml(builder.pki.storePassword()),
                builder.clientAuth.name());
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private EmbeddedExtension authenticationExtension() {
        byte[] expectedPassword = password.getBytes(StandardCharsets.UTF_8);
        SimpleAuthenticator authenticator = (input, output) -> {
            ConnectPacket connect = input.getConnectPacket();
            boolean userOk = connect.getUserName().filter(username::equals).isPresent();
            boolean passwordOk = connect.getPassword().map(EmbeddedBroker::bytes)
                    .filter(given -> Arrays.equals(given, expectedPassword)).isPresent();
            if (userOk && passwordOk) {
                output.authenticateSuccessfully();
            } else {
                output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            }
        };
        PublishAuthorizer publishAuthorizer = (input, output) -> {
            Refusal refused = refusal;
            if (refused != null && refused.refuses(input.getClientInformation().getClientId(),
                    input.getPublishPacket().getTopic(), true)) {
                output.failAuthorization(refused.reasonCode());
            } else {
                output.authorizeSuccessfully();
            }
        };
        PublishInboundInterceptor ackOnlyRefusal = (input, output) -> {
            Refusal refused = refusal;
            if (refused != null && refused.refuses(input.getClientInformation().getClientId(),
                    input.getPublishPacket().getTopic(), false)) {
                output.preventPublishDelivery(refused.reasonCode());
            }
        };
        ExtensionMain main = new ExtensionMain() {
            @Override
            public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
                Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
                Services.securityRegistry().setAuthorizerProvider(providerInput -> publishAuthorizer);
                Services.initializerRegistry().setClientInitializer(
                        (initializerInput, client) -> client.addPublishInboundInterceptor(ackOnlyRefusal));
            }

            @Override
            public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
                // nothing to release
            }
        };
        return EmbeddedExtension.builder()
                .withId("test-password-authentication")
                .withName("Test password authentication")
                .withVersion("1")
                .withAuthor("mqtts-scale tests")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(main)
                .build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** @throws org.awaitility.core.ConditionTimeoutException when nothing listens within the start timeout */
    private void awaitListening() {
        await("something listening on " + TestPki.BROKER_IP + ":" + port).atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(InetAddress.getByName(TestPki.BROKER_IP), port), 1000);
                        return true;
                    }
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(TestPki.BROKER_IP))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void closeQuietly(EmbeddedHiveMQ broker) {
        try {
            broker.close();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException ex) {
            // already failing
        }
    }

    /** Options for {@link EmbeddedBroker}. */
    public static final class Builder {

        private final TestPki pki;
        private Path keyStore;
        private ClientAuth clientAuth = ClientAuth.REQUIRED;
        private String username = "scale";
        private String password = "scale-test-password";
        private int port;

        private Builder(TestPki pki) {
            this.pki = Objects.requireNonNull(pki, "pki");
            this.keyStore = pki.brokerKeyStore();
        }

        /** The broker's JKS key store (default: {@link TestPki#brokerKeyStore()}). */
        public Builder keyStore(Path keyStore) {
            this.keyStore = keyStore;
            return this;
        }

        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
            return this;
        }

        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** A fixed port (default: a free one chosen when built). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Writes the configuration; the broker is not started. */
        public EmbeddedBroker build() {
            try {
                return new EmbeddedBroker(this);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

}
