package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether readings may say the clock is not set yet: only where systemd-timesyncd tells, and until it has set it. */
class ClockSyncTest {

    @TempDir
    Path run;

    @Test
    void unsyncedWhileTimesyncdRunsWithoutHavingSetTheClockThenSyncedForGood() throws Exception {
        Path timesync = Files.createDirectory(run.resolve("timesync"));
        ClockSync clock = new ClockSync(timesync);
        assertThat(clock.synced()).isFalse();
        Path synchronizedFlag = Files.createFile(timesync.resolve("synchronized"));
        assertThat(clock.synced()).isTrue();
        Files.delete(synchronizedFlag);
        assertThat(clock.synced()).as("a clock once set keeps its time").isTrue();
    }

    @Test
    void withoutTimesyncdNothingIsClaimed() {
        assertThat(new ClockSync(run.resolve("no-timesync")).synced()).isTrue();
    }
}
