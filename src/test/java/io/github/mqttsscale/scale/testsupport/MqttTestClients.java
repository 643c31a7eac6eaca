package io.github.mqttsscale.scale.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import javax.net.SocketFactory;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

import io.github.mqttsscale.scale.mqtt.BrokerTls;
import io.github.mqttsscale.scale.mqtt.TlsFiles;

/** Plain Paho MQTT 5 clients for tests, connected the way the application connects: socket factory, user, password. */
public final class MqttTestClients {

    private MqttTestClients() {
    }

    /** Connection options with the socket factory and credentials; Paho's own host-name check stays on. */
    public static MqttConnectionOptions options(SocketFactory factory, String username, String password) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(factory);
        options.setUserName(username);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(10);
        return options;
    }

    /** Connects to {@code broker} as its user; throws what Paho throws when refused. */
    public static MqttClient connect(EmbeddedBroker broker, SocketFactory factory) throws MqttException {
        return connect(broker, factory, broker.password(), true);
    }

    /** Connects with the given password and Paho's {@code httpsHostnameVerificationEnabled} switch. */
    public static MqttClient connect(EmbeddedBroker broker, SocketFactory factory, String password,
            boolean pahoHostnameVerification) throws MqttException {
        MqttClient client = new MqttClient(broker.url(), "test-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = options(factory, broker.username(), password);
        options.setHttpsHostnameVerificationEnabled(pahoHostnameVerification);
        try {
            client.connect(options);
            return client;
        } catch (MqttException ex) {
            client.close(true);
            throw ex;
        }
    }

    /** Connects with {@code tls}, publishes one message and disconnects. */
    public static void publish(EmbeddedBroker broker, TlsFiles tls, String topic, String payload, int qos,
            boolean retained) throws MqttException {
        MqttClient client = connect(broker, BrokerTls.socketFactory(tls));
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
        disconnect(client);
    }

    /** Disconnects and releases the client. */
    public static void disconnect(MqttClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
