package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides which weights are worth sending: a change of at least {@code minChangeKg} since the last
 * published weight, or the heartbeat, so that subscribers see the scale is alive even when nothing moves. With
 * {@code onlyStable}, a changed weight waits until it has settled, so that each settled value goes out once.
 * <p>
 * A weight that settles after the last published one said it had not also goes out, once: otherwise a subscriber
 * (Home Assistant's "Stable" entity) would be told the scale is unsettled until the next heartbeat, after every start
 * and after every load change that settled within {@code minChangeKg} of the weight published while it moved.
 */
public class PublishPolicy {

    private final BigDecimal minChangeKg;
    private final Duration heartbeat;
    private final boolean onlyStable;
    private final Clock clock;
    private BigDecimal lastWeight;
    private Instant lastPublished;
    private boolean lastPublishedUnsettled;

    public PublishPolicy(BigDecimal minChangeKg, Duration heartbeat, boolean onlyStable, Clock clock) {
        this.minChangeKg = minChangeKg;
        this.heartbeat = heartbeat;
        this.onlyStable = onlyStable;
        this.clock = clock;
    }

    /** True when this weight should go out; the policy then counts it as the last published one. */
    public synchronized boolean shouldPublish(BigDecimal weightKg, boolean stable) {
        Instant now = clock.instant();
        boolean changed = lastWeight == null || weightKg.subtract(lastWeight).abs().compareTo(minChangeKg) >= 0;
        boolean settledSinceLastPublished = stable && lastPublishedUnsettled;
        boolean due = changed && (stable || !onlyStable) || settledSinceLastPublished
                || lastPublished != null && !now.isBefore(lastPublished.plus(heartbeat));
        if (due) {
            lastWeight = weightKg;
            lastPublished = now;
            lastPublishedUnsettled = !stable;
        }
        return due;
    }

    /** Makes the next weight go out whatever it is, e.g. on a "publish now" command. */
    public synchronized void forceNext() {
        lastWeight = null;
    }
}
