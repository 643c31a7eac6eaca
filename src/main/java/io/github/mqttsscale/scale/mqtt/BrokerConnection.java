package io.github.mqttsscale.scale.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The one MQTT client of the scale, shared with Camel's paho-mqtt5 endpoints. Paho never retries a
 * failed first connect and camel-paho-mqtt5 would refuse to start a route without a broker, so the
 * connection is kept here: connect in the background, say plainly why it failed, retry with
 * exponential backoff (no reconnect storm on a wrong password), announce {@code online}/{@code offline}
 * on the retained status topic with the last will as the crash case.
 * <p>
 * The session starts clean on every connect, so whatever has to be there on the broker after a connect
 * (subscriptions, retained discovery configs) is registered here with {@link #whenConnected} or
 * {@link #subscribe} and done again after every reconnect, on this class's own thread (never on Paho's
 * callback thread, which must not wait on the broker). {@code online} is announced after them: a command sent on
 * seeing it is heard.
 */
public class BrokerConnection implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);
    static final String ONLINE = "online";
    static final String OFFLINE = "offline";
    /**
     * The largest MQTT packet the broker may send the scale (MQTT 5 Maximum Packet Size): what comes in is commands
     * of at most a kilobyte; the broker drops anything larger instead of sending it.
     */
    public static final long MAX_INCOMING_PACKET_BYTES = 4096;

    private final BrokerProperties properties;
    private final SSLSocketFactory socketFactory;
    private final String statusTopic;
    private final MqttClient client;
    private final PublishRefusals refusals = new PublishRefusals();
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mqtt-connect");
        thread.setDaemon(true);
        return thread;
    });
    private final List<WhenConnected> connectActions = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile Duration nextDelay;
    private volatile String lastProblem;
    private volatile Instant connectedSince;
    private volatile boolean online;
    private final Object connectedSignal = new Object();

    public BrokerConnection(BrokerProperties properties, SSLSocketFactory socketFactory, String statusTopic) {
        this.properties = properties;
        this.socketFactory = socketFactory;
        this.statusTopic = statusTopic;
        this.nextDelay = properties.reconnectMinDelay();
        try {
            this.client = new BrokerClient(properties.url(), properties.clientId(), refusals);
            // A broker that accepts TCP but never answers must not block a publishing route forever.
            this.client.setTimeToWait(properties.connectTimeout().toMillis());
        } catch (MqttException e) {
            throw new IllegalStateException("Cannot create the MQTT client for scale.mqtt.url=" + properties.url()
                    + ": " + e.getMessage(), e);
        }
        client.setCallback(new ConnectionWatcher());
    }

    public MqttClient client() {
        return client;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Connected, subscribed and announced {@code online}: a command sent now is heard. Connected alone is not enough,
     * since the subscriptions are made on this class's thread after the connection is up.
     */
    public boolean isOnline() {
        return online && client.isConnected();
    }

    /**
     * Waits up to {@code timeout} for the connection, so that work which needs the broker sleeps while it is away
     * instead of asking again and again; returns at once when connected.
     *
     * @return whether connected now
     */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (connectedSignal) {
            long left;
            while (!client.isConnected() && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(connectedSignal, left);
            }
        }
        return client.isConnected();
    }

    /** Why the last connection attempt failed or the connection was lost; null while connected. */
    public String lastProblem() {
        return lastProblem;
    }

    /** What keeps readings from the broker now: why it is not connected, or what it refuses; null when nothing. */
    public String problem() {
        String refused = refusals.current().orElse(null);
        if (isConnected() || lastProblem == null) {
            return refused;
        }
        return refused == null ? lastProblem : refused + " " + lastProblem;
    }

    public Instant connectedSince() {
        return connectedSince;
    }

    public String url() {
        return properties.url();
    }

    /** Something to do on the broker after every connect, e.g. publish a retained message. */
    @FunctionalInterface
    public interface WhenConnected {
        void run(MqttClient client) throws MqttException;
    }

    /** Receives the messages of a subscription, on Paho's callback thread: hand them on, never block there. */
    @FunctionalInterface
    public interface MessageHandler {
        void handle(String topic, MqttMessage message);
    }

    private record Subscription(String topicFilter, MessageHandler handler) {
    }

    /** Runs {@code action} after every (re)connect, and soon when connected already. */
    public void whenConnected(WhenConnected action) {
        connectActions.add(action);
        if (client.isConnected()) {
            runOnConnectorThread(action);
        }
    }

    /** Subscribes to {@code topicFilter} now if connected and again after every reconnect. */
    public void subscribe(String topicFilter, int qos, MessageHandler handler) {
        MqttTopicValidator.validate(topicFilter, true, true);
        subscriptions.add(new Subscription(topicFilter, handler));
        whenConnected(connected -> connected.subscribe(topicFilter, qos));
    }

    private void runOnConnectorThread(WhenConnected action) {
        try {
            connector.execute(() -> {
                try {
                    action.run(client);
                } catch (MqttException | RuntimeException e) {
                    LOG.warn("After connecting to {}: {}", properties.url(), ConnectionProblem.explain(e, properties));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // shutting down
        }
    }

    @Override
    public void start() {
        running = true;
        LOG.info("Connecting to broker {} as client '{}'{}", properties.url(), properties.clientId(),
                properties.username() == null ? "" : " with user '" + properties.username() + "'");
        connector.execute(this::connect);
    }

    @Override
    public void stop() {
        running = false;
        connector.shutdownNow();
        try {
            if (client.isConnected()) {
                client.publish(statusTopic, status(OFFLINE));
                client.disconnect(properties.connectTimeout().toMillis());
                LOG.info("Disconnected from broker {}", properties.url());
            }
        } catch (MqttException e) {
            LOG.warn("Clean disconnect from {} failed ({}); the broker will publish the last will instead",
                    properties.url(), e.getMessage());
        } finally {
            closeQuietly();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started before Camel and stopped after it, so routes always find the client and can drain. */
    @Override
    public int getPhase() {
        return 0;
    }

    private void connect() {
        if (!running || client.isConnected()) {
            return;
        }
        try {
            client.connect(connectionOptions());
            // connectComplete announces us and resets the backoff
        } catch (MqttException e) {
            lastProblem = ConnectionProblem.explain(e, properties);
            LOG.warn("Cannot connect to broker {}: {} Retrying in {} s.", properties.url(), lastProblem,
                    nextDelay.toSeconds());
            scheduleReconnect();
        } catch (RuntimeException e) {
            lastProblem = ConnectionProblem.explain(e, properties);
            LOG.error("Cannot connect to broker {}: {} Retrying in {} s.", properties.url(), lastProblem,
                    nextDelay.toSeconds(), e);
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        if (!running) {
            return;
        }
        Duration delay = nextDelay;
        Duration doubled = delay.multipliedBy(2);
        nextDelay = doubled.compareTo(properties.reconnectMaxDelay()) > 0 ? properties.reconnectMaxDelay() : doubled;
        try {
            connector.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // shutting down
        }
    }

    private MqttConnectionOptions connectionOptions() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setServerURIs(new String[]{properties.url()});
        options.setSocketFactory(socketFactory);
        options.setHttpsHostnameVerificationEnabled(true);
        options.setAutomaticReconnect(false);
        options.setCleanStart(true);
        options.setConnectionTimeout((int) Math.max(1, properties.connectTimeout().toSeconds()));
        options.setKeepAliveInterval((int) properties.keepAlive().toSeconds());
        options.setMaximumPacketSize(MAX_INCOMING_PACKET_BYTES);
        if (properties.username() != null && !properties.username().isBlank()) {
            options.setUserName(properties.username());
        }
        if (properties.password() != null && !properties.password().isEmpty()) {
            options.setPassword(properties.password().getBytes(StandardCharsets.UTF_8));
        }
        options.setWill(statusTopic, status(OFFLINE));
        long willDelaySeconds = properties.willDelay().toSeconds();
        if (willDelaySeconds > 0) {
            // the broker waits this long before it says "offline", and forgets the will if the scale is back by then;
            // a session that ends (expiry, or a clean start) ends the wait early, so the session must outlive the
            // delay and a reconnect must take it up again (MQTT 5, 3.1.3.2.2)
            MqttProperties will = new MqttProperties();
            will.setWillDelayInterval(willDelaySeconds);
            options.setWillMessageProperties(will);
            options.setSessionExpiryInterval(willDelaySeconds);
            options.setCleanStart(false);
        }
        return options;
    }

    /** Publishes a retained state ({@code online}, {@code offline}) with QoS 1, waiting for the acknowledgement. */
    public void publishRetained(String topic, String state) throws MqttException {
        client.publish(topic, status(state));
    }

    private static MqttMessage status(String state) {
        MqttMessage message = new MqttMessage(state.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(true);
        return message;
    }

    private void closeQuietly() {
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("Closing the MQTT client: {}", e.getMessage());
        }
    }

    private final class ConnectionWatcher implements MqttCallback {

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            connectedSince = Instant.now();
            lastProblem = null;
            if (refusals.current().isEmpty()) {
                // a broker that refuses publishes and then drops the connection (HiveMQ does) is retried with backoff
                nextDelay = properties.reconnectMinDelay();
            }
            LOG.info("Connected to broker {}", serverURI);
            synchronized (connectedSignal) {
                connectedSignal.notifyAll();
            }
            // Paho's callback thread must not block on its own publish: subscribe and announce from our thread,
            // subscriptions first, so that whoever sees "online" (an automation sending a command) is heard.
            connectActions.forEach(BrokerConnection.this::runOnConnectorThread);
            runOnConnectorThread(connected -> {
                connected.publish(statusTopic, status(ONLINE));
                online = true;
            });
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            connectedSince = null;
            online = false;
            lastProblem = response.getException() != null
                    ? ConnectionProblem.explainLost(response.getException(), properties)
                    : "the broker closed the connection (reason " + response.getReturnCode()
                            + (response.getReasonString() == null ? "" : ": " + response.getReasonString()) + ").";
            if (running) {
                LOG.warn("Lost the connection to broker {}: {} Reconnecting in {} s.", properties.url(), lastProblem,
                        nextDelay.toSeconds());
                scheduleReconnect();
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error from broker {}: {}", properties.url(),
                    ConnectionProblem.explain(exception, properties));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            for (Subscription subscription : subscriptions) {
                if (MqttTopicValidator.isMatched(subscription.topicFilter(), topic)) {
                    try {
                        subscription.handler().handle(topic, message);
                    } catch (RuntimeException e) {
                        LOG.warn("Message on {} not handled: {}", topic, e.toString());
                    }
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
