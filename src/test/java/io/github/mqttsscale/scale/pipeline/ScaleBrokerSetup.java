package io.github.mqttsscale.scale.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

import io.github.mqttsscale.scale.testsupport.EmbeddedBroker;
import io.github.mqttsscale.scale.testsupport.TestPki;

/**
 * What every test of the running scale needs: certificates made for the test, a real broker over TLS
 * that checks the password and requires a client certificate, and the scale configured against it
 * with the simulated HX711 at 80 samples/s so tests do not wait for the 10 SPS default.
 */
final class ScaleBrokerSetup implements BeforeAllCallback, AfterAllCallback {

    static final String DEVICE_ID = "test-scale";
    static final String WEIGHT_TOPIC = "scale/" + DEVICE_ID + "/weight";
    static final String STATUS_TOPIC = "scale/" + DEVICE_ID + "/status";
    static final String COMMAND_TOPIC = "scale/" + DEVICE_ID + "/command";
    static final String RESULT_TOPIC = COMMAND_TOPIC + "/result";

    final Path dir;
    final TestPki pki;
    final EmbeddedBroker broker;
    private boolean startBeforeAll;

    /** As a {@code @RegisterExtension}: the broker runs from before the test class to after it. */
    static ScaleBrokerSetup running(String name) {
        ScaleBrokerSetup setup = new ScaleBrokerSetup(name);
        setup.startBeforeAll = true;
        return setup;
    }

    ScaleBrokerSetup(String name) {
        try {
            this.dir = Files.createTempDirectory("mqtts-scale-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.pki = TestPki.create(dir.resolve("pki"));
        this.broker = EmbeddedBroker.builder(pki).build();
    }

    void register(DynamicPropertyRegistry registry) {
        registry.add("scale.device-id", () -> DEVICE_ID);
        registry.add("scale.sensor", () -> "simulated");
        registry.add("scale.hx711.rate", () -> "80");
        registry.add("scale.sample-interval", () -> "50ms");
        registry.add("scale.data-dir", () -> dir.resolve("data").toString());
        registry.add("scale.mqtt.url", broker::url);
        registry.add("scale.mqtt.username", broker::username);
        registry.add("scale.mqtt.password", broker::password);
        registry.add("scale.mqtt.ca", () -> pki.caCertPem().toString());
        registry.add("scale.mqtt.client-cert", () -> pki.clientCertPem().toString());
        registry.add("scale.mqtt.client-key", () -> pki.clientKeyPkcs8Pem().toString());
        registry.add("scale.mqtt.reconnect-max-delay", () -> "2s");
        registry.add("server.port", () -> "0");
    }

    /** Starts the broker and registers the scale's settings: for a {@code @DynamicPropertySource} method. */
    void startAndRegister(DynamicPropertyRegistry registry) {
        broker.start();
        register(registry);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (startBeforeAll) {
            broker.start();
        }
    }

    /** As a {@code @RegisterExtension}, stops the broker after the test class. */
    @Override
    public void afterAll(ExtensionContext context) {
        broker.close();
    }
}
