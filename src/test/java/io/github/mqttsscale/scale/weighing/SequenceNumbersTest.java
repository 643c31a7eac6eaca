package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.FullDisk;
import io.github.mqttsscale.scale.storage.ReadOnlyDisk;
import io.github.mqttsscale.scale.storage.StorageProblem;

class SequenceNumbersTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

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
    void aCleanStopGoesOnWithoutAGap() {
        SequenceNumbers first = new SequenceNumbers(dataDir);
        long last = 0;
        for (int i = 0; i < 67; i++) {
            last = first.next();
        }
        first.close();

        assertThat(new SequenceNumbers(dataDir).next()).as("after a clean stop and start").isEqualTo(last + 1);
    }

    @Test
    void aNumberAskedForAfterTheStopIsNeverHandedOutTwice() {
        SequenceNumbers stopping = new SequenceNumbers(dataDir);
        stopping.next();
        stopping.close();
        long late = stopping.next(); // a reading that was still under way

        assertThat(new SequenceNumbers(dataDir).next()).isGreaterThan(late);
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
        SequenceNumbers seq = new SequenceNumbers(dataDir, disk, CLOCK);
        assertThat(seq.next()).as("from the clock").isEqualTo(CLOCK.millis());
        assertThat(seq.next()).isEqualTo(CLOCK.millis() + 1);
        assertThat(seq.problem().map(StorageProblem::text)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("data directory " + dataDir + " is full", "seq is kept in memory only", "free space"));
        disk.free();
        long last = 0;
        for (int i = 0; i < SequenceNumbers.RETRY_EVERY; i++) {
            last = seq.next();
        }
        assertThat(seq.problem()).as("saved again once the disk takes it").isEmpty();
        assertThat(new SequenceNumbers(dataDir).next()).isGreaterThan(last);
    }

    /**
     * Still read-only after a restart: the numbers of the run before were never saved, so going on from the saved
     * value (or from 1) would hand them out again. The clock has moved on by more than that run handed out.
     */
    @Test
    void aRestartWithTheDataDirectoryStillReadOnlyDoesNotRepeatSeq() throws Exception {
        Files.writeString(dataDir.resolve("seq"), "5000"); // saved while it could be
        SequenceNumbers first = new SequenceNumbers(dataDir, new ReadOnlyDisk(), CLOCK);
        long last = 0;
        for (int i = 0; i < 3 * SequenceNumbers.RETRY_EVERY; i++) {
            last = first.next();
        }
        Clock aSecondLater = Clock.offset(CLOCK, Duration.ofSeconds(1));
        SequenceNumbers afterRestart = new SequenceNumbers(dataDir, new ReadOnlyDisk(), aSecondLater);
        assertThat(afterRestart.next()).isGreaterThan(last);
        assertThat(afterRestart.problem().map(StorageProblem::state))
                .hasValue("data directory " + dataDir + " is read-only");
    }

    /** A bad byte must not stop the start (systemd would restart it every few seconds, publishing nothing). */
    @Test
    void aDamagedFileGoesOnFromTheClockAndSaysSo() throws Exception {
        for (String damaged : new String[]{"garbage", "12\u00003", "-5", ""}) {
            Files.writeString(dataDir.resolve("seq"), damaged);
            SequenceNumbers numbers = new SequenceNumbers(dataDir, Disk.REAL, CLOCK);
            assertThat(numbers.next()).as("after '%s'", damaged).isEqualTo(CLOCK.millis());
            assertThat(numbers.repaired()).hasValueSatisfying(
                    said -> assertThat(said).contains("was damaged", "goes on from the clock"));
            assertThat(numbers.problem()).as("the disk works").isEmpty();
            assertThat(Long.parseLong(Files.readString(dataDir.resolve("seq")).trim())).as("saved again")
                    .isGreaterThan(CLOCK.millis());
        }
    }
}
