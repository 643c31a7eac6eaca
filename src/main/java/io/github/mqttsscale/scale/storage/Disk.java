package io.github.mqttsscale.scale.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;

/**
 * Every operation that changes a file in the data directory, in one place: the order of writes, forces and
 * renames is what makes the outbox and the small files survive a crash, and tests replace this to fail (or
 * record) each of them in turn.
 */
public class Disk {

    public static final Disk REAL = new Disk();

    protected Disk() {
    }

    /** Opens a file of the data directory; with {@code WRITE} or {@code CREATE}, one to change. */
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        return FileChannel.open(path, options);
    }

    public Path createDirectories(Path directory, FileAttribute<?>... attributes) throws IOException {
        return Files.createDirectories(directory, attributes);
    }

    public void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    /** Writes all of {@code bytes} at {@code position}: a channel may write fewer bytes than asked at once. */
    public void write(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    /** {@code metaData} false (fdatasync) is enough for appends: it still forces the file's new length. */
    public void force(FileChannel channel, boolean metaData) throws IOException {
        channel.force(metaData);
    }

    public void truncate(FileChannel channel, long size) throws IOException {
        channel.truncate(size);
    }

    public void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * A rename or a new file is an entry in its directory: until the directory is forced, a power cut can undo it
     * even though the file's own content was forced. Windows cannot open a directory; its NTFS journals renames.
     */
    public void forceDirectory(Path directory) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
