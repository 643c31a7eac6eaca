package io.github.mqttsscale.scale.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import javax.net.ssl.SSLSocketFactory;

import io.github.mqttsscale.scale.ScaleApplication;
import io.github.mqttsscale.scale.testsupport.EmbeddedBroker;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.TestPki;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application's Spring Boot + Camel context and the embedded broker in one JVM: Camel's paho-mqtt5 producer
 * publishes through a {@link BrokerTls} socket factory bean.
 */
@SpringBootTest(classes = { ScaleApplication.class, CamelPahoOverBrokerTlsTest.SocketFactoryConfig.class },
        webEnvironment = SpringBootTest.WebEnvironment.NONE)
class CamelPahoOverBrokerTlsTest {

    private static final TestPki PKI = TestPki.shared();
    static EmbeddedBroker broker;

    @Autowired
    ProducerTemplate producer;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.startDefault(PKI);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class SocketFactoryConfig {

        @Bean
        SSLSocketFactory mqttSocketFactory() {
            return BrokerTls.socketFactory(PKI.clientTlsFiles());
        }
    }

    @Test
    void camelPublishesOverVerifiedTlsWithClientCertificate() {
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(broker, PKI, "scale/camel")) {
            producer.sendBody("paho-mqtt5:scale/camel?brokerUrl=" + broker.url() + "&userName=" + broker.username()
                    + "&password=RAW(" + broker.password() + ")&socketFactory=#mqttSocketFactory&qos=1", "7.5");

            MqttTestSubscriber.Received received = subscriber.awaitOne(Duration.ofSeconds(10));
            assertThat(received.payloadText()).isEqualTo("7.5");
            assertThat(received.qos()).isEqualTo(1);
        }
    }
}
