package io.github.mqttsscale.scale.packaging;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The package on the Pi's other architecture and Debian release, under emulation, with all the checks of
 * packaging/deb/test/emulated.sh (DebPackageIT runs the essential ones on arm64 trixie in every build): 32-bit
 * Raspberry Pi OS (armhf) on trixie, and 64-bit on bookworm (Java 17). Each root is made once per machine (about 4
 * minutes) and kept. Only in {@code ./mvnw -Ppi-roots verify}, which runs this test alone: too slow for every build.
 */
class DebPackagePiRootsIT {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"armhf, trixie", "arm64, bookworm"})
    void lifecycleInAnEmulatedRoot(String architecture, String suite) throws Exception {
        PackageScript.runs("emulated.sh", "deb-test-" + suite + "-" + architecture + ".log", Duration.ofMinutes(60),
                architecture, suite, PackageScript.builtPackage().toString(),
                PackageScript.TARGET.resolve("deb-test-" + suite + "-" + architecture).toString());
    }
}
