package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.health.Status;

import io.github.mqttsscale.scale.monitoring.SensorHealth;

/**
 * A board whose RATE pin is wired for 10 samples/s, with {@code scale.hx711.rate: 80}: the driver measures the
 * chip's rate, and the scale says what to fix in health's sensor details (issue 21's Done-when).
 */
class RateMismatchTest {

    @RegisterExtension
    static final ScaleBrokerSetup SETUP = ScaleBrokerSetup.running("rate-mismatch");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aBoardWiredForTenSamplesASecondWithRateEightyIsReportedInHealth() throws Exception {
        Map<String, String> settings = Map.of("scale.data-dir", SETUP.dir.resolve("rate").toString(),
                "scale.hx711.rate", "80", "scale.simulator.actual-rate", "10");
        try (RunningScale scale = RunningScale.start(SETUP, settings)) {
            await("the rate in health's sensor details").atMost(WAIT).until(() -> problems(scale).containsKey("rate"));

            assertThat(problems(scale).get("rate").toString()).contains("converts 10 times a second",
                    "but scale.hx711.rate is 80: set scale.hx711.rate to 10", "the longer settling time (400 ms)");
            await("the sensor UP: it still weighs, waiting the longer settling time").atMost(WAIT)
                    .until(() -> scale.bean(SensorHealth.class).health().getStatus(), Status.UP::equals);
        }
    }

    private static Map<?, ?> problems(RunningScale scale) {
        return scale.bean(SensorHealth.class).health().getDetails().get("problems") instanceof Map<?, ?> problems
                ? problems
                : Map.of();
    }
}
