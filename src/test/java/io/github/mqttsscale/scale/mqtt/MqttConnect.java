package io.github.mqttsscale.scale.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import javax.net.SocketFactory;

import io.github.mqttsscale.scale.testsupport.EmbeddedBroker;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Connects a plain Paho v5 client the way the application will: socket factory, user name and password. */
final class MqttConnect {

    private MqttConnect() {
    }

    static MqttClient connect(EmbeddedBroker broker, SocketFactory factory) throws MqttException {
        return connect(broker, factory, broker.password(), true);
    }

    static MqttClient connect(EmbeddedBroker broker, SocketFactory factory, String password,
            boolean pahoHostnameVerification) throws MqttException {
        MqttClient client = new MqttClient(broker.url(), "test-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(factory);
        options.setHttpsHostnameVerificationEnabled(pahoHostnameVerification);
        options.setUserName(broker.username());
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(5);
        try {
            client.connect(options);
            return client;
        }
        catch (MqttException ex) {
            client.close(true);
            throw ex;
        }
    }

    static void disconnect(MqttClient client) throws MqttException {
        client.disconnect();
        client.close();
    }
}
