package io.github.mqttsscale.scale.pipeline;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.ScaleApplication;
import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.operations.Operations;
import io.github.mqttsscale.scale.operations.ScaleOperations;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/** The scale application started as {@code java -jar} would start it, with the test's settings; stopped on close. */
final class RunningScale implements AutoCloseable {

    private static final java.util.concurrent.atomic.AtomicInteger STARTS = new java.util.concurrent.atomic.AtomicInteger();

    private final ConfigurableApplicationContext context;
    private final ScaleBrokerSetup setup;

    private RunningScale(ConfigurableApplicationContext context, ScaleBrokerSetup setup) {
        this.context = context;
        this.setup = setup;
    }

    static RunningScale start(ScaleBrokerSetup setup, Map<String, String> overrides) {
        return start(setup, overrides, new ApplicationContextInitializer<?>[0]);
    }

    /** Started with {@code initializers} run on the context before it is refreshed (a test's change to a bean). */
    static RunningScale start(ScaleBrokerSetup setup, Map<String, String> overrides,
            ApplicationContextInitializer<?>... initializers) {
        Map<String, Object> properties = new HashMap<>();
        setup.register(new DynamicPropertyRegistry() {
            @Override
            public void add(String name, java.util.function.Supplier<Object> valueSupplier) {
                properties.put(name, valueSupplier.get());
            }
        });
        // each start its own data: an outbox or sequence left by another test would blur what this one counts
        properties.put("scale.data-dir", setup.dir.resolve("data-" + STARTS.incrementAndGet()).toString());
        properties.putAll(overrides);
        String[] commandLine = properties.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
        return new RunningScale(
                new SpringApplicationBuilder(ScaleApplication.class).initializers(initializers).run(commandLine),
                setup);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    BrokerConnection broker() {
        return bean(BrokerConnection.class);
    }

    /** The scale of this device id, or the first (with one scale, the scale). */
    Scale scale(String deviceId) {
        Scales scales = bean(Scales.class);
        return deviceId == null ? scales.all().get(0) : scales.get(deviceId);
    }

    Scale scale() {
        return scale(null);
    }

    ScaleOperations operations(String deviceId) {
        return bean(Operations.class).of(scale(deviceId).deviceId());
    }

    /** Sends this JSON command to the scale over the broker and returns its answer from the result topic. */
    JsonNode command(String deviceId, String command) throws Exception {
        try (MqttTestSubscriber results = MqttTestSubscriber.subscribe(setup.broker, setup.pki,
                "scale/" + deviceId + "/command/result")) {
            send("scale/" + deviceId + "/command", command);
            return new ObjectMapper().readTree(results.awaitOne(Duration.ofSeconds(30)).payload());
        }
    }

    /**
     * Publishes this text at QoS 1 through the scale's own client, once it is online (it connects and subscribes in
     * the background, later on a busy machine), so that the scale's command subscription is in place.
     */
    void send(String topic, String text) throws Exception {
        await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(60)).until(() -> broker().isOnline());
        MqttMessage message = new MqttMessage(text.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        broker().client().publish(topic, message);
    }

    /** Every scale's weigh-and-publish route runs. */
    boolean isWeighing() {
        CamelContext camel = bean(CamelContext.class);
        return context.isActive() && bean(Scales.class).all().stream().allMatch(
                scale -> camel.getRouteController().getRouteStatus(scale.routeId()) == ServiceStatus.Started);
    }

    @Override
    public void close() {
        context.close();
    }
}
