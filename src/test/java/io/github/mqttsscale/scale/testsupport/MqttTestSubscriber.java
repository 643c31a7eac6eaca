package io.github.mqttsscale.scale.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import io.github.mqttsscale.scale.mqtt.BrokerTls;
import io.github.mqttsscale.scale.mqtt.TlsFiles;

/**
 * A Paho MQTT 5 client over TLS (socket factory from {@link BrokerTls}) that subscribes to a topic filter and collects
 * what arrives. After a broker restart it reconnects by itself and subscribes again (the in-memory broker forgot the
 * subscription), so tests can stop and start the broker underneath it.
 */
public final class MqttTestSubscriber implements AutoCloseable {

    /** One message as it arrived. */
    public record Received(String topic, byte[] payload, boolean retained, int qos) {

        public String payloadText() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return topic + " qos=" + qos + (retained ? " retained" : "") + " '" + payloadText() + "'";
        }
    }

    private static final long WAIT_MILLIS = 10_000;

    private final MqttAsyncClient client;
    private final String topicFilter;
    private final int qos;
    private final LinkedBlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    /** Connected and subscribed: false from a lost connection until the subscription is back. */
    private volatile boolean ready;

    private MqttTestSubscriber(MqttAsyncClient client, String topicFilter, int qos) {
        this.client = client;
        this.topicFilter = topicFilter;
        this.qos = qos;
    }

    /**
     * Connects to {@code broker} as its user, with the test CA and client certificate of {@code pki}, and subscribes to
     * {@code topicFilter} with QoS 1.
     */
    public static MqttTestSubscriber subscribe(EmbeddedBroker broker, TestPki pki, String topicFilter) {
        return subscribe(broker.url(), broker.username(), broker.password(), pki.clientTlsFiles(), topicFilter, 1);
    }

    /** Connects to {@code url} with the given credentials and TLS files, and subscribes to {@code topicFilter}. */
    public static MqttTestSubscriber subscribe(String url, String username, String password, TlsFiles tls,
            String topicFilter, int qos) {
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(url, "test-subscriber-" + UUID.randomUUID(), new MemoryPersistence());
        } catch (MqttException ex) {
            throw new IllegalArgumentException("Bad broker URL " + url, ex);
        }
        MqttTestSubscriber subscriber = new MqttTestSubscriber(client, topicFilter, qos);
        try {
            client.setCallback(subscriber.new Callback());
            MqttConnectionOptions options = MqttTestClients.options(BrokerTls.socketFactory(tls), username, password);
            options.setCleanStart(true);
            options.setAutomaticReconnect(true);
            options.setAutomaticReconnectDelay(1, 2);
            client.connect(options).waitForCompletion(WAIT_MILLIS);
            client.subscribe(topicFilter, qos).waitForCompletion(WAIT_MILLIS);
            subscriber.ready = true;
            return subscriber;
        } catch (MqttException | RuntimeException ex) {
            subscriber.close();
            throw new IllegalStateException("Test subscriber could not connect to " + url + " and subscribe to "
                    + topicFilter + ": " + ex, ex);
        }
    }

    /**
     * Waits until {@code count} messages have arrived and takes them, oldest first.
     *
     * @throws AssertionError if fewer arrive within {@code timeout} (lists the ones that did)
     */
    public List<Received> await(int count, Duration timeout) {
        List<Received> taken = new ArrayList<>(count);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (taken.size() < count) {
                Received next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new AssertionError("Expected " + count + " message(s) on " + topicFilter + " within "
                            + timeout + " but got " + taken.size() + ": " + taken);
                }
                taken.add(next);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for messages", ex);
        }
        return taken;
    }

    /** Waits as long as it takes for the next message. */
    public Received take() throws InterruptedException {
        return queue.take();
    }

    /** Waits for the next message and takes it. */
    public Received awaitOne(Duration timeout) {
        return await(1, timeout).get(0);
    }

    /**
     * Asserts that nothing arrives within {@code quietPeriod}.
     *
     * @throws AssertionError naming the message that did arrive
     */
    public void assertNothingWithin(Duration quietPeriod) {
        try {
            Received unexpected = queue.poll(quietPeriod.toNanos(), TimeUnit.NANOSECONDS);
            if (unexpected != null) {
                throw new AssertionError("Expected no message on " + topicFilter + " but got " + unexpected);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting", ex);
        }
    }

    /**
     * Takes messages until the last one on each topic named is the payload given (retained states such as online and
     * offline), and returns the last payload of every topic seen.
     *
     * @throws AssertionError naming what was last seen on each topic
     */
    public Map<String, String> awaitLatest(Map<String, String> expected, Duration timeout) {
        Map<String, String> latest = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!expected.entrySet().stream().allMatch(state -> state.getValue().equals(latest.get(state.getKey())))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Expected " + expected + " on " + topicFilter + " within " + timeout
                        + " but the last were " + latest);
            }
            try {
                Received next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next != null) {
                    latest.put(next.topic(), next.payloadText());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for messages", ex);
            }
        }
        return latest;
    }

    /** The messages received and not taken yet, oldest first. */
    public List<Received> pending() {
        return List.copyOf(queue);
    }

    /** Takes the messages received and not taken yet, oldest first, without waiting (none lost to a race). */
    public List<Received> takeAll() {
        List<Received> taken = new ArrayList<>();
        queue.drainTo(taken);
        return taken;
    }

    /** Forgets the messages received and not taken yet. */
    public void clear() {
        queue.clear();
    }

    /**
     * Waits until the subscriber is connected and subscribed, e.g. after the broker was restarted.
     *
     * @throws org.awaitility.core.ConditionTimeoutException if that takes longer than {@code timeout}
     */
    public void awaitReady(Duration timeout) {
        Awaitility.await("test subscriber to " + topicFilter + " connected and subscribed").atMost(timeout)
                .pollInterval(Duration.ofMillis(20)).until(() -> ready && client.isConnected());
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MILLIS);
            }
        } catch (MqttException ex) {
            // closing anyway
        } finally {
            try {
                client.close(true);
            } catch (MqttException ex) {
                // nothing left to do
            }
        }
    }

    private final class Callback implements MqttCallback {

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            queue.add(new Received(topic, message.getPayload(), message.isRetained(), message.getQos()));
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
                try {
                    // asynchronous on purpose: blocking in a Paho callback thread deadlocks
                    client.subscribe(topicFilter, qos, null, new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            ready = true;
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable exception) {
                            ready = false;
                        }
                    });
                } catch (MqttException ex) {
                    throw new IllegalStateException("Could not subscribe again after reconnecting", ex);
                }
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            ready = false; // automatic reconnect takes over
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            // surfaced through missing messages
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // subscriber only
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
