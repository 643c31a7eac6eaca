package io.github.mqttsscale.scale.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.outbox.OutboxProperties;
import io.github.mqttsscale.scale.weighing.SequenceNumbers;

class StorageHealthTest {

    @TempDir
    Path dataDir;

    @Test
    void upWhileTheDataDirectoryTakesWrites() {
        SequenceNumbers seq = new SequenceNumbers(dataDir);
        seq.next();
        Outbox outbox = new Outbox(dataDir, new OutboxProperties(10, Duration.ofDays(1), 10), "t", 1, () -> true,
                Clock.systemUTC());
        assertThat(new StorageHealth(seq, outbox).health().getStatus()).isEqualTo(Status.UP);
    }

    /** As root the permission of a directory stops nothing: a file where the data directory should be does. */
    @Test
    void downWithWhatItCostsWhileTheDataDirectoryCannotBeWritten() throws Exception {
        Outbox outbox = new Outbox(dataDir, new OutboxProperties(10, Duration.ofDays(1), 10), "t", 1, () -> true,
                Clock.systemUTC());
        Path notADirectory = java.nio.file.Files.writeString(dataDir.resolve("seq-dir"), "");
        SequenceNumbers seq = new SequenceNumbers(notADirectory);
        assertThat(seq.next()).as("still numbered").isEqualTo(1);
        Health health = new StorageHealth(seq, outbox).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason").toString()).contains("seq may repeat after a restart");
    }
}
