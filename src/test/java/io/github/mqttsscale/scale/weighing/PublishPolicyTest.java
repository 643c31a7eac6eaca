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
    private final PublishPolicy policy = new PublishPolicy(new BigDecimal("0.010"), Duration.ofSeconds(60), clock);

    @Test
    void theFirstWeightIsAlwaysPublished() {
        assertThat(policy.shouldPublish(new BigDecimal("1.000"))).isTrue();
    }

    @Test
    void smallChangesAreHeldBackAndChangesOfAtLeastMinChangeGoOut() {
        policy.shouldPublish(new BigDecimal("1.000"));
        assertThat(policy.shouldPublish(new BigDecimal("1.009"))).isFalse();
        assertThat(policy.shouldPublish(new BigDecimal("0.991"))).isFalse();
        assertThat(policy.shouldPublish(new BigDecimal("1.010"))).isTrue();
        assertThat(policy.shouldPublish(new BigDecimal("1.000"))).isTrue();
    }

    @Test
    void aSlowDriftIsMeasuredFromTheLastPublishedWeightNotTheLastReading() {
        policy.shouldPublish(new BigDecimal("1.000"));
        assertThat(policy.shouldPublish(new BigDecimal("1.006"))).isFalse();
        assertThat(policy.shouldPublish(new BigDecimal("1.012"))).isTrue();
    }

    @Test
    void theHeartbeatRepublishesAnUnchangedWeight() {
        policy.shouldPublish(new BigDecimal("1.000"));
        now = now.plusSeconds(59);
        assertThat(policy.shouldPublish(new BigDecimal("1.000"))).isFalse();
        now = now.plusSeconds(1);
        assertThat(policy.shouldPublish(new BigDecimal("1.000"))).isTrue();
        now = now.plusSeconds(30);
        assertThat(policy.shouldPublish(new BigDecimal("1.000"))).isFalse();
    }

    @Test
    void forceNextLetsTheNextWeightOut() {
        policy.shouldPublish(new BigDecimal("1.000"));
        policy.forceNext();
        assertThat(policy.shouldPublish(new BigDecimal("1.000"))).isTrue();
    }
}
