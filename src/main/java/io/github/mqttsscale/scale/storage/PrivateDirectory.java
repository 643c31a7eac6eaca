package io.github.mqttsscale.scale.storage;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The data directory holds calibration, buffered readings and the web password: only its owner may read it. */
public final class PrivateDirectory {

    private PrivateDirectory() {
    }

    public static Path create(Path directory, Disk disk) throws IOException {
        if (Files.isDirectory(directory)) {
            return directory;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return disk.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return disk.createDirectories(directory);
    }
}
