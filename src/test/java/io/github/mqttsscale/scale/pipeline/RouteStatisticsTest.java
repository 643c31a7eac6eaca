package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/**
 * Hawtio draws each step of a route with its exchange counts from {@code dumpRoutesStatsAsXml}: every step of the
 * scale's routes must be a Camel processor MBean with statistics, also the steps that call the application's own
 * MBeans (ScaleOperations, Outbox), and carry an id that says what it does.
 */
class RouteStatisticsTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("route-statistics");
    /** Camel names a step without an id after its kind and a number: to1, choice2, bean18. */
    private static final Pattern GENERATED_ID = Pattern.compile("\\bid=\"[a-zA-Z]+\\d+\"");
    private static final Pattern SEND_TO_BROKER = completed("send-to-broker");
    /** A step of the route made from the template weigh-and-publish. */
    private static final Pattern COUNTS_TO_KILOGRAMS = completed("counts-to-kilograms");

    private static Pattern completed(String stepId) {
        return Pattern.compile("<processorStat id=\"" + stepId + "\"[^>]*? exchangesCompleted=\"(\\d+)\"");
    }

    @Test
    void everyStepHasItsStatisticsForHawtiosRouteDiagram() throws Exception {
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                ScaleBrokerSetup.WEIGHT_TOPIC);
                RunningScale scale = RunningScale.start(SETUP, Map.of("scale.publish.heartbeat", "500ms"))) {
            subscriber.await(3, Duration.ofSeconds(30));
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            String context = scale.bean(CamelContext.class).getManagementName();
            Set<ObjectName> contexts = server.queryNames(
                    new ObjectName("org.apache.camel:context=" + context + ",type=context,*"), null);
            assertThat(contexts).hasSize(1);
            ObjectName camel = contexts.iterator().next();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String stats = (String) server.invoke(camel, "dumpRoutesStatsAsXml", new Object[]{false, true},
                        new String[]{"boolean", "boolean"});
                assertThat(stats).contains("<routeStat id=\"weigh-and-publish\"", "<routeStat id=\"publish\"",
                        "<routeStat id=\"send-kept-readings\"", "<routeStat id=\"commands\"",
                        "<processorStat id=\"keep-until-the-broker-is-back\"");
                Matcher sent = SEND_TO_BROKER.matcher(stats);
                assertThat(sent.find()).as("the send-to-broker step in:\n" + stats).isTrue();
                assertThat(Long.parseLong(sent.group(1))).isGreaterThanOrEqualTo(3);
                Matcher weighed = COUNTS_TO_KILOGRAMS.matcher(stats);
                assertThat(weighed.find()).as("the counts-to-kilograms step in:\n" + stats).isTrue();
                assertThat(Long.parseLong(weighed.group(1))).as(stats).isGreaterThanOrEqualTo(3);
            });

            String routes = (String) server.invoke(camel, "dumpRoutesAsXml", new Object[0], new String[0]);
            assertThat(routes).as("the error handling, in the dump Hawtio's Source view shows")
                    .contains("<doCatch id=\"not-acknowledged\"", "<doCatch id=\"command-refused\"");
            Matcher generated = GENERATED_ID.matcher(routes);
            assertThat(generated.find()).as("a step without an id of its own (Camel named it "
                    + (generated.find(0) ? generated.group() : "") + ")").isFalse();
        }
    }
}
