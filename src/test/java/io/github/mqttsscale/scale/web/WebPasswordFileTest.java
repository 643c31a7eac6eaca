package io.github.mqttsscale.scale.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebPasswordFileTest {

    @TempDir
    Path tmp;

    @Test
    void createsOwnerOnlyFileOnceAndReusesIt() throws Exception {
        Path file = tmp.resolve("data/web-password");

        String first = WebPasswordFile.readOrCreate(file);

        assertThat(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(WebPasswordFile.readOrCreate(file)).isEqualTo(first);
        assertThat(tmp.resolve("data")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void usesPasswordWrittenByHandAndTightensItsMode() throws Exception {
        Path file = tmp.resolve("web-password");
        Files.writeString(file, "my own secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(WebPasswordFile.readOrCreate(file)).isEqualTo("my own secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void replacesEmptyFile() throws Exception {
        Path file = tmp.resolve("web-password");
        Files.createFile(file);

        assertThat(WebPasswordFile.readOrCreate(file)).isNotBlank().isEqualTo(Files.readString(file).strip());
    }
}
