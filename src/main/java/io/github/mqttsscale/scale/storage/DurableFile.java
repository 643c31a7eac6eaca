package io.github.mqttsscale.scale.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A small text file that is replaced whole or not at all: written to a temporary file, forced to
 * disk, then renamed over the old one, so a crash or power cut mid-write leaves the previous content;
 * the directory is forced after the rename, so once {@link #write} returned a power cut cannot undo it.
 */
public class DurableFile {

    private final Path path;
    private final Disk disk;

    public DurableFile(Path path) {
        this(path, Disk.REAL);
    }

    public DurableFile(Path path, Disk disk) {
        this.path = path;
        this.disk = disk;
    }

    public Optional<String> read() {
        try {
            return Files.exists(path) ? Optional.of(Files.readString(path, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    public void write(String content) {
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            PrivateDirectory.create(path.getParent(), disk);
            try (FileChannel channel = disk.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                disk.write(channel, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
                disk.force(channel, true);
            }
            disk.move(temporary, path);
            disk.forceDirectory(path.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage()
                    + " (check that scale.data-dir is writable by this user)", e);
        }
    }

    public Path path() {
        return path;
    }
}
