package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.mqttsscale.scale.testsupport.TestClock;

class StableWeightTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final StableWeight stable = new StableWeight(Duration.ofSeconds(2), new BigDecimal("0.005"), clock);
    /** Noise of 1 g standard deviation, within the 5 g tolerance; seeded, so the test reads the same every run. */
    private final Random noise = new Random(42);

    @Test
    void aLoadStepWithNoiseIsUnstableUntilAWholeWindowLiesWithinTheTolerance() {
        assertThat(readings(0.000, 3000)).as("the empty scale, settled").isTrue();

        assertThat(stable.isStable(kg(5.200))).as("a keg put on, still swinging").isFalse();
        assertThat(readings(4.9, 500)).isFalse();
        long settledAfterMillis = 0;
        boolean settled = false;
        while (!settled) {
            settled = reading(5.000);
            settledAfterMillis += 100;
        }
        assertThat(settledAfterMillis).as("stable once the last 2 s of readings are all the new value").isBetween(2000L,
                2200L);
        assertThat(stable.isStableNow()).isTrue();
        assertThat(readings(5.000, 5000)).as("and stays stable while the noise stays within 5 g").isTrue();
    }

    @Test
    void noiseBeyondTheToleranceIsNeverStable() {
        boolean everStable = false;
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofMillis(100));
            everStable |= stable.isStable(kg(2.000 + (i % 2 == 0 ? 0.004 : -0.004)));
        }
        assertThat(everStable).as("8 g apart, with a 5 g tolerance").isFalse();
    }

    /** Readings of {@code kg} with noise every 100 ms for {@code millis}; whether the last was stable. */
    private boolean readings(double kg, long millis) {
        boolean last = false;
        for (long t = 0; t < millis; t += 100) {
            last = reading(kg);
        }
        return last;
    }

    private boolean reading(double kg) {
        clock.advance(Duration.ofMillis(100));
        double withNoise = kg + Math.max(-0.002, Math.min(0.002, noise.nextGaussian() * 0.001));
        return stable.isStable(kg(withNoise));
    }

    private static BigDecimal kg(double kg) {
        return BigDecimal.valueOf(kg).setScale(3, java.math.RoundingMode.HALF_UP);
    }
}
