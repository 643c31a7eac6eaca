package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class PublishPolicyTest {

    private Instant now = Instant.parse("2026-11-25T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final PublishPolicy policy = new PublishPolicy(new BigDecimal("0.010"), Duration.ofSeconds(60), false,
            clock);

    @Test
    void theFirstWeightIsAlwaysPublished() {
        assertThat(policy.shouldPublish(new BigDecimal("1.000"), false)).isTrue();
    }

    @Test
    void smallChangesAreHeldBackAndChangesOfAtLeastMinChangeGoOut() {
        policy.shouldPublish(new BigDecimal("1.000"), false);
        assertThat(policy.shouldPublish(new BigDecimal("1.009"), false)).isFalse();
        assertThat(policy.shouldPublish(new BigDecimal("0.991"), false)).isFalse();
        assertThat(policy.shouldPublish(new BigDecimal("1.010"), false)).isTrue();
        assertThat(policy.shouldPublish(new BigDecimal("1.000"), false)).isTrue();
    }

    @Test
    void aSlowDriftIsMeasuredFromTheLastPublishedWeightNotTheLastReading() {
        policy.shouldPublish(new BigDecimal("1.000"), false);
        assertThat(policy.shouldPublish(new BigDecimal("1.006"), false)).isFalse();
        assertThat(policy.shouldPublish(new BigDecimal("1.012"), false)).isTrue();
    }

    @Test
    void theHeartbeatRepublishesAnUnchangedWeight() {
        policy.shouldPublish(new BigDecimal("1.000"), false);
        now = now.plusSeconds(59);
        assertThat(policy.shouldPublish(new BigDecimal("1.000"), false)).isFalse();
        now = now.plusSeconds(1);
        assertThat(policy.shouldPublish(new BigDecimal("1.000"), false)).isTrue();
        now = now.plusSeconds(30);
        assertThat(policy.shouldPublish(new BigDecimal("1.000"), false)).isFalse();
    }

    @Test
    void forceNextLetsTheNextWeightOut() {
        policy.shouldPublish(new BigDecimal("1.000"), false);
        policy.forceNext();
        assertThat(policy.shouldPublish(new BigDecimal("1.000"), false)).isTrue();
    }

    /** With publish.on stable, a weight goes out once it settled at a new value, and a rocking load is held back. */
    @Test
    void onStableEachSettledValueGoesOutOnce() {
        PublishPolicy onStable = new PublishPolicy(new BigDecimal("0.010"), Duration.ofSeconds(60), true, clock);
        assertThat(onStable.shouldPublish(new BigDecimal("0.000"), false)).as("not settled yet").isFalse();
        assertThat(onStable.shouldPublish(new BigDecimal("0.000"), true)).as("settled: the first weight").isTrue();
        assertThat(onStable.shouldPublish(new BigDecimal("0.000"), true)).as("the same settled value").isFalse();
        assertThat(onStable.shouldPublish(new BigDecimal("4.800"), false)).as("a keg rocking in").isFalse();
        assertThat(onStable.shouldPublish(new BigDecimal("5.300"), false)).isFalse();
        assertThat(onStable.shouldPublish(new BigDecimal("5.000"), true)).as("settled at a new value").isTrue();
        assertThat(onStable.shouldPublish(new BigDecimal("5.001"), true)).as("still that value").isFalse();
        now = now.plusSeconds(60);
        assertThat(onStable.shouldPublish(new BigDecimal("5.200"), false)).as("the heartbeat, settled or not").isTrue();
    }

    /**
     * A scale that starts (or a load that moves) publishes while still unsettled; once it settles, the settled weight
     * goes out once, even within min-change of it, so that a subscriber is not told "unsettled" until the heartbeat.
     */
    @Test
    void aWeightThatSettlesAfterAnUnsettledPublishedOneGoesOutOnce() {
        assertThat(policy.shouldPublish(new BigDecimal("2.500"), false)).as("the first weight, window not full yet")
                .isTrue();
        assertThat(policy.shouldPublish(new BigDecimal("2.500"), false)).isFalse();
        assertThat(policy.shouldPublish(new BigDecimal("2.501"), true)).as("settled").isTrue();
        assertThat(policy.shouldPublish(new BigDecimal("2.501"), true)).as("still settled").isFalse();
        assertThat(policy.shouldPublish(new BigDecimal("2.503"), false)).as("a wobble within min-change").isFalse();
        assertThat(policy.shouldPublish(new BigDecimal("2.501"), true))
                .as("settled again: the last published weight said settled already").isFalse();
    }
}
