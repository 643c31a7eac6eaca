package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711Counters;
import io.github.mqttsscale.hx711.Hx711Fault;
import io.github.mqttsscale.hx711.Hx711RejectReason;
import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.monitoring.SensorHealth;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;

/**
 * A machine too slow for the GPIO wiring (issue 22 part 2), made by the simulator's SLOW_CLOCK: every clock-high phase
 * on a GPIO pin lasts 80 µs, so every sample is lost. With {@code scale.hx711.too-slow-after: 3s} instead of the
 * minute, the scale says it once in the log and shows it in health's sensor problems (which the status page and Home
 * Assistant's problem sensor show too) with the clock-high histogram and the SPI wiring's pins; it ends when samples
 * pass again; the SPI wiring never gets it.
 */
@ExtendWith(OutputCaptureExtension.class)
class TooSlowForGpioTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("too-slow-for-gpio");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "too-slow-for-gpio";
    private static final Pattern SAID = Pattern.compile("WARN .*Scale [^:]+: this machine cannot keep the HX711's"
            + " clock pulse under the chip's limit");

    @Test
    void aMachineTooSlowForGpioIsToldOnceToMoveToSpiUntilSamplesPassAgain(CapturedOutput output) throws Exception {
        try (MqttTestSubscriber diagnostics = MqttTestSubscriber.subscribe(SETUP.broker, SETUP.pki,
                "scale/slow-pi/diagnostics");
                RunningScale scale = RunningScale.start(SETUP,
                        Map.of("scale.device-id", "slow-pi", "scale.hx711.too-slow-after", "3s"))) {
            Hx711Simulator simulator = scale.scale().simulator().orElseThrow();
            await("readings with samples that pass").atMost(WAIT).ignoreExceptions()
                    .until(() -> counters(scale).getGoodSamples() > 10);

            simulator.setFault(Hx711Fault.SLOW_CLOCK);
            await("the problem in health's sensor details").atMost(WAIT).until(() -> problems(scale).containsKey(KEY));

            String problem = problems(scale).get(KEY).toString();
            assertThat(problem).contains("this machine cannot keep the HX711's clock pulse under the chip's limit with"
                    + " the GPIO wiring (DOUT=BCM 5 (pin 29) / PD_SCK=BCM 6 (pin 31))",
                    "samples were rejected for clock timing, PD_SCK high for 50 µs or more",
                    "Clock-high phases measured: <2µs:",
                    "The SPI wiring fixes it",
                    "Move DOUT (DT) from BCM 5 (pin 29) to MISO, BCM 9 (pin 21) and PD_SCK (SCK) from BCM 6 (pin 31) to"
                            + " MOSI, BCM 10 (pin 19) (not SCLK), pull MISO up (gpio=9=pu in /boot/firmware/config.txt)",
                    "set scale.hx711.wiring: spi");
            assertThat(problem).containsPattern(">=60µs: [1-9]\\d*\\.");
            assertThat(scale.scale().problems().now()).as("what the status page shows").containsKey(KEY);
            assertThat(problemsPublished(diagnostics)).as("Home Assistant's problem sensor: the diagnostics")
                    .containsKey(KEY);
            // diagnostics checks the problems every 5 s: each check would log it again if it were not said once
            await("the problem while it lasts").during(Duration.ofSeconds(11)).atMost(WAIT)
                    .until(() -> problems(scale).containsKey(KEY));
            assertThat(SAID.matcher(output.getOut()).results().count()).as("said once: %s", output.getOut())
                    .isEqualTo(1);

            simulator.setFault(Hx711Fault.NONE);
            await("the problem ends when samples pass again").atMost(WAIT)
                    .until(() -> !problems(scale).containsKey(KEY));
            assertThat(output.getOut()).contains(KEY + " is over");
        }
    }

    @Test
    void theSpiWiringOnTheSameSlowMachineNeverGetsIt() {
        try (RunningScale scale = RunningScale.start(SETUP,
                Map.of("scale.hx711.too-slow-after", "3s", "scale.hx711.wiring", "spi"))) {
            scale.scale().simulator().orElseThrow().setFault(Hx711Fault.SLOW_CLOCK);
            await("the load cell read").atMost(WAIT).ignoreExceptions().until(() -> counters(scale).getReads() > 0);
            long goodBefore = counters(scale).getGoodSamples();

            await("readings go on over more than the window, without the problem").during(Duration.ofSeconds(8))
                    .atMost(WAIT).until(() -> !problems(scale).containsKey(KEY));

            assertThat(counters(scale).getGoodSamples()).isGreaterThan(goodBefore + 20);
            assertThat(counters(scale).rejected(Hx711RejectReason.TIMING)).isZero();
            assertThat(scale.scale().loadCell().tooSlowForGpio()).isEmpty();
        }
    }

    /** The problems of the first diagnostics report that has one, within 15 s (one report every 5 s at most). */
    private static Map<String, Object> problemsPublished(MqttTestSubscriber diagnostics) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode report = JSON.readTree(diagnostics.awaitOne(Duration.ofSeconds(15)).payload());
            if (report.get("problem").asBoolean()) {
                return JSON.convertValue(report.get("problems"), new TypeReference<Map<String, Object>>() {
                });
            }
        }
        throw new AssertionError("no diagnostics with a problem within 15 s");
    }

    private static Hx711Counters counters(RunningScale scale) {
        return scale.scale().loadCell().consumer().orElseThrow().counters();
    }

    private static Map<?, ?> problems(RunningScale scale) {
        return scale.bean(SensorHealth.class).health().getDetails().get("problems") instanceof Map<?, ?> problems
                ? problems
                : Map.of();
    }
}
