package io.github.mqttsscale.scale.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFileTest {

    @TempDir
    Path dir;

    /** Without forcing the directory, a power cut after write() returned can bring back the previous content. */
    @Test
    void theRenameIsForcedToDiskWithItsDirectory() {
        CrashingDisk disk = CrashingDisk.recording();
        DurableFile file = new DurableFile(dir.resolve("tare"), disk);
        file.write("42");
        assertThat(disk.operations()).containsExactly("write", "force", "move", "force directory");
        assertThat(file.read()).contains("42");
    }

    @Test
    void aCrashBeforeTheRenameLeavesThePreviousContent() {
        new DurableFile(dir.resolve("tare")).write("1");
        DurableFile crashing = new DurableFile(dir.resolve("tare"),
                CrashingDisk.crashingAt(3, CrashingDisk.When.BEFORE));
        assertThatThrownBy(() -> crashing.write("2")).hasRootCauseInstanceOf(CrashingDisk.Crash.class);
        assertThat(new DurableFile(dir.resolve("tare")).read()).contains("1");
    }
}
