package io.github.mqttsscale.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.mqttsscale.scale.routes.RoutesFolder;

/** A wrong setting stops the start with one message that names the property and how to fix it. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationErrorsTest {

    @TempDir
    Path dataDir;

    @Test
    void aBrokerUrlWithoutTlsIsRefused(CapturedOutput output) {
        assertStartFails(output, "scale.mqtt.url", "must be ssl://<host>:<port>", "--scale.mqtt.url=tcp://broker:1883");
    }

    @Test
    void aMissingBrokerUrlSaysWhatToSet(CapturedOutput output) {
        assertStartFails(output, "scale.mqtt.url", "ssl://<cluster-id>.s1.eu.hivemq.cloud:8883");
    }

    @Test
    void aPortOutOfRangeIsRefused(CapturedOutput output) {
        assertStartFails(output, "scale.mqtt", "port must be between 1 and 65535",
                "--scale.mqtt.url=ssl://broker:88830");
    }

    @Test
    void qosZeroIsRefusedBecauseNothingWouldAcknowledgeAReading(CapturedOutput output) {
        assertStartFails(output, "scale.mqtt.qos", "must be 1 or 2: at QoS 0 the broker does not acknowledge a reading",
                "--scale.mqtt.url=ssl://broker:8883", "--scale.mqtt.qos=0");
    }

    @Test
    void equalPinsAreRefused(CapturedOutput output) {
        assertStartFails(output, "scale.hx711.clock-pin", "DOUT and PD_SCK need two different pins",
                "--scale.mqtt.url=ssl://broker:8883",
                "--scale.hx711.data-pin=6", "--scale.hx711.clock-pin=6");
    }

    @Test
    void aGainTheHx711DoesNotHaveIsRefused(CapturedOutput output) {
        assertStartFails(output, "scale.hx711.gain", "allowed values are 128 (channel A), 64 (channel A) or 32",
                "--scale.mqtt.url=ssl://broker:8883",
                "--scale.hx711.gain=100");
    }

    @Test
    void negativeCountsPerKgAreRefused(CapturedOutput output) {
        assertStartFails(output, "scale.calibration.countsPerKg", "known weight", "--scale.mqtt.url=ssl://broker:8883",
                "--scale.calibration.counts-per-kg=-12780");
    }

    @Test
    void aMissingCertificateFileIsNamed(CapturedOutput output) {
        assertStartFails(output, "scale.mqtt.ca", dataDir.resolve("nope.pem").toString(),
                "--scale.mqtt.url=ssl://broker:8883",
                "--scale.mqtt.ca=" + dataDir.resolve("nope.pem"));
    }

    @Test
    void aDurationCamelWouldMisreadIsRefused(CapturedOutput output) {
        assertStartFails(output, "scale.sample-interval=PT2S", "2000ms", "--scale.mqtt.url=ssl://broker:8883",
                "--scale.sample-interval=PT2S");
    }

    @Test
    void aTopicWithAWildcardOrAPlaceholderStopsTheStart(CapturedOutput output) {
        assertStartFails(output, "scale.publish.topic", "may not hold the wildcards + or #",
                "--scale.mqtt.url=ssl://broker:8883", "--scale.publish.topic=scale/+/weight");
    }

    @Test
    void aPlaceholderInTheTopicStopsTheStart(CapturedOutput output) {
        assertStartFails(output, "scale.publish.topic", "nor {{...}}", "--scale.mqtt.url=ssl://broker:8883",
                "--scale.publish.topic=scale/{{deviceId}}/weight");
    }

    @Test
    void durationsOutsideTheirMeaningfulRangeStopTheStart(CapturedOutput output) {
        assertStartFails(output, "scale.outbox.maxAge", "must be 1m or more", "--scale.mqtt.url=ssl://broker:8883",
                "--scale.outbox.max-age=0s");
        assertStartFails(output, "scale.mqtt.connectTimeout", "0 would wait for ever",
                "--scale.mqtt.url=ssl://broker:8883", "--scale.mqtt.connect-timeout=0s");
        assertStartFails(output, "scale.mqtt.reconnectMinDelay", "0 would try again without a pause",
                "--scale.mqtt.url=ssl://broker:8883", "--scale.mqtt.reconnect-min-delay=0s");
        assertStartFails(output, "scale.mqtt.keepAlive", "MQTT's largest keep-alive",
                "--scale.mqtt.url=ssl://broker:8883", "--scale.mqtt.keep-alive=70000s");
        assertStartFails(output, "scale.temperature.readInterval", "must be 100ms or more",
                "--scale.mqtt.url=ssl://broker:8883", "--scale.temperature.read-interval=0s");
        assertStartFails(output, "scale.temperature.lag", "must be 0s or more", "--scale.mqtt.url=ssl://broker:8883",
                "--scale.temperature.lag=-5s");
    }

    @Test
    void aFreshStartElsewhereWritesTheDefaultRouteToEdit() throws Exception {
        Path routes = dataDir.resolve("my-routes");
        RoutesFolder folder = new RoutesFolder(routes);
        assertThat(folder.path().resolve("scale.camel.yaml"))
                .hasSameTextualContentAs(Path.of("routes/scale.camel.yaml"));
        Files.writeString(routes.resolve("scale.camel.yaml"), "# my edit");
        new RoutesFolder(routes);
        assertThat(routes.resolve("scale.camel.yaml")).hasContent("# my edit");
    }

    private void assertStartFails(CapturedOutput output, String property, String fix, String... args) {
        String[] commandLine = new String[args.length + 3];
        commandLine[0] = "--scale.sensor=simulated";
        commandLine[1] = "--scale.data-dir=" + dataDir;
        commandLine[2] = "--server.port=0";
        System.arraycopy(args, 0, commandLine, 3, args.length);
        assertThatThrownBy(() -> new SpringApplicationBuilder(ScaleApplication.class).run(commandLine).close());
        assertThat(output.getAll()).contains(property).contains(fix);
    }
}
