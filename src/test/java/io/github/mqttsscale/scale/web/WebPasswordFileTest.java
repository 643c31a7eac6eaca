package io.github.mqttsscale.scale.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class WebPasswordFileTest {

    @TempDir
    Path tmp;

    @Test
    void createsOwnerOnlyFileOnceAndReusesIt() throws Exception {
        Path file = tmp.resolve("data/web-password");

        String first = WebPasswordFile.readOrCreate(file).orElseThrow();

        assertThat(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(WebPasswordFile.readOrCreate(file).orElseThrow()).isEqualTo(first);
        assertThat(tmp.resolve("data")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void usesPasswordWrittenByHandAndTightensItsMode() throws Exception {
        Path file = tmp.resolve("web-password");
        Files.writeString(file, "my own secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(WebPasswordFile.readOrCreate(file).orElseThrow()).isEqualTo("my own secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    /** A data directory that cannot be written (read-only, full) must not stop the scale at its first start. */
    @Test
    void noPasswordWhenNoneCanBeKeptAndTheLogSaysHowToFixIt(CapturedOutput output) throws Exception {
        Path notAFolder = Files.createFile(tmp.resolve("data"));

        assertThat(WebPasswordFile.readOrCreate(notAFolder.resolve("web-password"))).isEmpty();
        assertThat(output.getAll()).contains("Cannot keep a web password in " + notAFolder.resolve("web-password"),
                "refuse every login", "spring.security.user.password", "Weighing and publishing go on");
        assertThat(WebPasswordFile.unknowable()).hasSizeGreaterThanOrEqualTo(32)
                .isNotEqualTo(WebPasswordFile.unknowable());
    }

    @Test
    void replacesEmptyFile() throws Exception {
        Path file = tmp.resolve("web-password");
        Files.createFile(file);

        assertThat(WebPasswordFile.readOrCreate(file).orElseThrow()).isNotBlank()
                .isEqualTo(Files.readString(file).strip());
    }
}
