package io.github.mqttsscale.scale.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.outbox.OutboxProperties;
import io.github.mqttsscale.scale.storage.ReadOnlyDisk;
import io.github.mqttsscale.scale.weighing.SequenceNumbers;

class StorageHealthTest {

    @TempDir
    Path dataDir;

    @Test
    void upWhileTheDataDirectoryTakesWrites() {
        SequenceNumbers seq = new SequenceNumbers(dataDir);
        seq.next();
        Outbox outbox = new Outbox(dataDir, new OutboxProperties(10, Duration.ofDays(1), 10), 1, () -> true,
                Clock.systemUTC());
        assertThat(new StorageHealth(List.of(seq), outbox).health().getStatus()).isEqualTo(Status.UP);
    }

    /** As root the permission of a directory stops nothing: a file where the data directory should be does. */
    @Test
    void downWithWhatItCostsWhileTheDataDirectoryCannotBeWritten() throws Exception {
        Outbox outbox = new Outbox(dataDir, new OutboxProperties(10, Duration.ofDays(1), 10), 1, () -> true,
                Clock.systemUTC());
        Path notADirectory = java.nio.file.Files.writeString(dataDir.resolve("seq-dir"), "");
        SequenceNumbers seq = new SequenceNumbers(notADirectory);
        assertThat(seq.next()).as("still numbered").isPositive();
        Health health = new StorageHealth(List.of(seq), outbox).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason").toString())
                .contains("data directory " + notADirectory + " cannot be written", "seq is kept in memory only");
    }

    /** Read-only from the start: one sentence naming the directory, all it costs and the fix, said once. */
    @Test
    void downNamingTheDirectoryWhatItCostsAndTheFixWhenReadOnlyAtStart() {
        ReadOnlyDisk readOnly = new ReadOnlyDisk();
        SequenceNumbers seq = new SequenceNumbers(dataDir, readOnly);
        Outbox outbox = new Outbox(dataDir, new OutboxProperties(10, Duration.ofDays(1), 10), 1, () -> true,
                Clock.systemUTC(), readOnly);
        seq.next();
        Health health = new StorageHealth(List.of(seq), outbox).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "data directory " + dataDir + " is read-only: "
                + "readings are published live only, and none are kept while the broker is away, until it can be written (tried "
                + "again every minute); seq is kept in memory only (after a restart it goes on from the clock, in "
                + "milliseconds since 1970: it jumps ahead, and still never goes back); check the disk or its mount "
                + "(a disk or SD card with errors is remounted read-only)");
    }
}
