package io.github.mqttsscale.scale.outbox;

import java.time.Clock;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jmx.export.MBeanExporter;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.mqtt.BrokerProperties;
import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.Scales;

/** Store-and-forward: the outbox the route keeps readings in while the broker cannot take them. */
@Configuration(proxyBeanMethods = false)
public class OutboxConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxConfiguration.class);

    @Bean(destroyMethod = "close")
    Outbox outbox(ScaleProperties scale, BrokerProperties mqtt, OutboxProperties limits,
            BrokerConnection brokerConnection,
            Disk disk) {
        return new Outbox(scale.dataDir(), limits, mqtt.qos(), brokerConnection::isConnected,
                Clock.systemUTC(), System::nanoTime, disk);
    }

    /**
     * Readings the broker refused, set aside; an MBean of its own (resendRefused), when JMX is on. While readings of a
     * scale are set aside, that scale has the problem {@code refused}.
     */
    @Bean(destroyMethod = "close")
    RefusedReadings refusedReadings(ScaleProperties scale, OutboxProperties limits, Outbox outbox, Disk disk,
            Scales scales) {
        RefusedReadings refused = new RefusedReadings(scale.dataDir(), disk, outbox, limits.maxReadings());
        for (Scale each : scales.all()) {
            each.problems().watch("refused", () -> refused.problemOf(each::publishesOn));
        }
        return refused;
    }

    /** Its counts as meters, and as the MBean {@value OutboxMetrics#OBJECT_NAME} (when JMX is on). */
    @Bean
    OutboxMetrics outboxMetrics(Outbox outbox, ObjectProvider<MBeanExporter> jmx) {
        OutboxMetrics metrics = new OutboxMetrics(outbox);
        jmx.ifAvailable(exporter -> exporter.registerManagedResource(metrics.mbean(), OutboxMetrics.objectName()));
        return metrics;
    }

    /**
     * The {@code outbox:} endpoint the routes keep readings with and the route send-kept-readings starts from.
     * Registered in Camel by name rather than as a bean: the bean {@code outbox} is the outbox itself, which the route
     * asks whether a reading must wait.
     */
    @Bean
    CamelContextConfiguration outboxComponent(Outbox outbox, BrokerConnection brokerConnection, OutboxProperties limits,
            ScaleProperties scale, RefusedReadings refusedReadings) {
        // every scale's readings queue in the one outbox
        long mostReadingsPerSecond = scale.weighed().stream()
                .mapToLong(listed -> Math.min(1000 / Math.max(1, scale.sampleInterval().toMillis()),
                        listed.hx711().rate()))
                .sum();
        if (limits.sendRate() <= mostReadingsPerSecond) {
            LOG.warn("scale.outbox.send-rate={} is not above the {} readings/s "
                    + "this scale can take: after an outage its outbox could never empty (newer readings queue behind it). "
                    + "Raise scale.outbox.send-rate.", limits.sendRate(), mostReadingsPerSecond);
        }
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                camelContext.addComponent("outbox", new OutboxComponent(outbox, brokerConnection, refusedReadings));
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
            }
        };
    }
}
