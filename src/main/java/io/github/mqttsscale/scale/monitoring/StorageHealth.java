package io.github.mqttsscale.scale.monitoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.storage.StorageProblem;
import io.github.mqttsscale.scale.weighing.SequenceNumbers;

/**
 * {@code storage}: DOWN while the data directory cannot be written (full, read-only), with what that costs: the
 * scale still publishes live, but seq is not saved and readings cannot be kept while the broker is away. The same
 * text is shown on the status page. A damaged state file found at the start (outbox/delivered, seq) is listed under
 * {@code repairedAtStart} with what was done instead, and leaves it UP.
 */
public class StorageHealth extends AbstractHealthIndicator {

    private final List<SequenceNumbers> sequenceNumbers;
    private final Outbox outbox;

    public StorageHealth(List<SequenceNumbers> sequenceNumbers, Outbox outbox) {
        super("Storage health check failed");
        this.sequenceNumbers = List.copyOf(sequenceNumbers);
        this.outbox = outbox;
    }

    /**
     * What cannot be written and what that costs; the same directory and fix said once, e.g. {@code data directory
     * /var/lib/mqtts-scale is read-only: readings are published live only, ...; seq is kept in memory only ...;
     * check the disk or its mount ...}.
     */
    public Optional<String> problem() {
        Map<String, List<StorageProblem>> byCause = Stream
                .concat(Stream.of(outbox.problem()), sequenceNumbers.stream().map(SequenceNumbers::problem))
                .flatMap(Optional::stream)
                .collect(Collectors.groupingBy(problem -> problem.state() + "\n" + problem.fix(), LinkedHashMap::new,
                        Collectors.toList()));
        return byCause.values().stream()
                .map(same -> same.get(0).state() + ": "
                        + same.stream().map(StorageProblem::consequence).collect(Collectors.joining("; "))
                        + "; " + same.get(0).fix())
                .reduce((first, second) -> first + ". " + second);
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        Optional<String> problem = problem();
        if (problem.isPresent()) {
            health.down().withDetail("reason", problem.get());
        } else {
            health.up();
        }
        // a damaged state file found at the start does not stop the scale: said here, until the next start
        List<String> repaired = Stream
                .concat(Stream.of(outbox.repaired()), sequenceNumbers.stream().map(SequenceNumbers::repaired))
                .flatMap(Optional::stream).toList();
        if (!repaired.isEmpty()) {
            health.withDetail("repairedAtStart", repaired);
        }
    }
}
