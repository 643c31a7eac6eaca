package io.github.mqttsscale.scale.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.outbox.OutboxProperties;
import io.github.mqttsscale.scale.outbox.OutboxSender;

/** Store-and-forward: the outbox the route keeps readings in while the broker cannot take them. */
@Configuration(proxyBeanMethods = false)
public class OutboxConfiguration {

    @Bean(destroyMethod = "close")
    Outbox outbox(ScaleProperties scale, BrokerProperties mqtt, OutboxProperties limits, BrokerConnection brokerConnection) {
        return new Outbox(scale.dataDir(), limits, scale.publish().topic(), mqtt.qos(), brokerConnection::isConnected,
                Clock.systemUTC());
    }

    @Bean
    OutboxSender outboxSender(Outbox outbox, BrokerConnection brokerConnection, OutboxProperties limits) {
        return new OutboxSender(outbox, brokerConnection, limits.sendRate());
    }
}
