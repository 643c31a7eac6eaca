package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.scale.storage.FullDisk;

class SequenceNumbersTest {

    @TempDir
    Path dataDir;

    @Test
    void countsUpByOneFromOne() {
        SequenceNumbers seq = new SequenceNumbers(dataDir);
        assertThat(seq.next()).isEqualTo(1);
        assertThat(seq.next()).isEqualTo(2);
        assertThat(seq.next()).isEqualTo(3);
    }

    @Test
    void neverGoesBackAfterARestartEvenWithoutACleanStop() {
        SequenceNumbers first = new SequenceNumbers(dataDir);
        long last = 0;
        for (int i = 0; i < 1500; i++) {
            last = first.next();
        }
        // no close, no flush: as after a crash or power cut
        SequenceNumbers afterRestart = new SequenceNumbers(dataDir);
        long next = afterRestart.next();
        assertThat(next).isGreaterThan(last);
        assertThat(next - last).isLessThanOrEqualTo(SequenceNumbers.BLOCK);
    }

    @Test
    void writesTheDiskOncePerBlockNotPerReading() throws Exception {
        SequenceNumbers seq = new SequenceNumbers(dataDir);
        seq.next();
        String reserved = Files.readString(dataDir.resolve("seq"));
        for (int i = 1; i < SequenceNumbers.BLOCK; i++) {
            seq.next();
        }
        assertThat(Files.readString(dataDir.resolve("seq"))).isEqualTo(reserved);
        seq.next();
        assertThat(Files.readString(dataDir.resolve("seq"))).isNotEqualTo(reserved);
    }

    /** A full or read-only data directory must not stop every reading: they go on, live, and it is said. */
    @Test
    void aDataDirectoryThatCannotBeWrittenDoesNotStopTheReadings() throws Exception {
        FullDisk disk = new FullDisk();
        SequenceNumbers seq = new SequenceNumbers(dataDir, disk);
        assertThat(seq.next()).isEqualTo(1);
        assertThat(seq.next()).isEqualTo(2);
        assertThat(seq.problem()).hasValueSatisfying(problem -> assertThat(problem)
                .contains("No space left on device", "may repeat after a restart"));
        disk.free();
        long last = 0;
        for (int i = 0; i < SequenceNumbers.RETRY_EVERY; i++) {
            last = seq.next();
        }
        assertThat(seq.problem()).as("saved again once the disk takes it").isEmpty();
        assertThat(new SequenceNumbers(dataDir).next()).isGreaterThan(last);
    }

    @Test
    void aDamagedFileIsReportedWithTheFix() throws Exception {
        Files.writeString(dataDir.resolve("seq"), "garbage");
        assertThatThrownBy(() -> new SequenceNumbers(dataDir)).hasMessageContaining("delete it");
    }
}
