package io.github.mqttsscale.scale.health;

import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.weighing.SequenceNumbers;

/**
 * {@code storage}: DOWN while the data directory cannot be written (full, read-only), with what that costs: the
 * scale still publishes live, but seq is not saved and readings cannot be kept while the broker is away.
 */
public class StorageHealth extends AbstractHealthIndicator {

    private final SequenceNumbers sequenceNumbers;
    private final Outbox outbox;

    public StorageHealth(SequenceNumbers sequenceNumbers, Outbox outbox) {
        super("Storage health check failed");
        this.sequenceNumbers = sequenceNumbers;
        this.outbox = outbox;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        Optional<String> problem = Stream.of(sequenceNumbers.problem(), outbox.problem()).flatMap(Optional::stream)
                .reduce((first, second) -> first + "; " + second);
        if (problem.isPresent()) {
            health.down().withDetail("reason", problem.get());
        } else {
            health.up();
        }
    }
}
