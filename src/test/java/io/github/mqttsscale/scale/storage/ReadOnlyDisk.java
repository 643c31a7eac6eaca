package io.github.mqttsscale.scale.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * A {@link Disk} on a read-only mount: files can be read, and every change fails as the JDK fails it there, with a
 * {@link FileSystemException} whose reason is the kernel's {@code Read-only file system} (checked once against a
 * tmpfs mounted {@code ro}: opening for writing, creating a directory and writing all throw exactly that; forcing a
 * directory opened for reading works). Tests run as root, where a directory's mode stops no write; a real read-only
 * mount would need privileges and a mount namespace a test cannot rely on.
 */
public class ReadOnlyDisk extends Disk {

    private volatile boolean remounted;

    /** From now on every change works again, as after {@code mount -o remount,rw} or freeing space. */
    public void remountWritable() {
        remounted = true;
    }

    private static final Set<OpenOption> CHANGES = Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
            StandardOpenOption.CREATE, StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.DELETE_ON_CLOSE);

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        if (remounted) {
            return super.open(path, options);
        }
        for (OpenOption option : options) {
            if (CHANGES.contains(option)) {
                throw readOnly(path);
            }
        }
        return super.open(path, options);
    }

    @Override
    public Path createDirectories(Path directory, FileAttribute<?>... attributes) throws IOException {
        if (remounted) {
            return super.createDirectories(directory, attributes);
        }
        throw readOnly(directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        if (remounted) {
            super.delete(path);
            return;
        }
        throw readOnly(path);
    }

    @Override
    public void write(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        if (remounted) {
            super.write(channel, bytes, position);
            return;
        }
        throw new IOException("Read-only file system");
    }

    @Override
    public void truncate(FileChannel channel, long size) throws IOException {
        if (remounted) {
            super.truncate(channel, size);
            return;
        }
        throw new IOException("Read-only file system");
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        if (remounted) {
            super.move(from, to);
            return;
        }
        throw readOnly(from);
    }

    private static FileSystemException readOnly(Path path) {
        return new FileSystemException(path.toString(), null, "Read-only file system");
    }
}
