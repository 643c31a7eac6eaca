package io.github.mqttsscale.scale.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Disk} that records each operation and fails at the n-th one: throws before it, after it, or
 * halfway through a write (what a process killed mid-write or a full disk leaves). A failure is an
 * {@link IOException}, so it takes the path a real disk error takes. After a crash every later operation
 * fails too without doing anything, as nothing runs after a process died; after a failure (a full disk for
 * a moment) they work again.
 */
public class CrashingDisk extends Disk {

    public enum When {
        BEFORE,
        AFTER,
        HALFWAY
    }

    /** The injected failure, told apart from a real one. */
    public static final class Crash extends IOException {
        Crash(String operation) {
            super("injected crash at " + operation);
        }
    }

    private final int crashAt;
    private final When when;
    private final boolean forces;
    private final boolean dies;
    private boolean dead;
    private final List<String> operations = new ArrayList<>();

    private CrashingDisk(int crashAt, When when, boolean forces, boolean dies) {
        this.crashAt = crashAt;
        this.when = when;
        this.forces = forces;
        this.dies = dies;
    }

    /** Only records, and forces for real. */
    public static CrashingDisk recording() {
        return new CrashingDisk(0, When.BEFORE, true, false);
    }

    /** Never fails and forces nothing: for the restarts of a crash test, where forcing only costs time. */
    public static CrashingDisk unforced() {
        return new CrashingDisk(0, When.BEFORE, false, false);
    }

    /** Fails operation {@code failAt} (1 is the first) alone: a disk error, not a crash. */
    public static CrashingDisk failingAt(int failAt, When when) {
        return new CrashingDisk(failAt, when, true, false);
    }

    /**
     * Crashes at operation {@code crashAt} (1 is the first). Forces are recorded but not done: a thrown crash is a
     * process dying, whose writes the kernel still has, so forcing them changes nothing the test sees but its time.
     */
    public static CrashingDisk crashingAt(int crashAt, When when) {
        return new CrashingDisk(crashAt, when, false, true);
    }

    /**
     * Throws the crash when it happened: for code that goes on after a failed operation (an outbox that could not open
     * its journal publishes live only), where a real crash would have ended the process.
     */
    public void requireAlive() throws Crash {
        if (dead) {
            throw new Crash("a point passed after the crash");
        }
    }

    public List<String> operations() {
        return operations;
    }

    @Override
    public void write(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        around("write", () -> super.write(channel, bytes, position), () -> {
            ByteBuffer half = bytes.duplicate();
            half.limit(half.position() + Math.max(1, half.remaining() / 2));
            super.write(channel, half, position);
        });
    }

    @Override
    public void force(FileChannel channel, boolean metaData) throws IOException {
        around("force", () -> {
            if (forces) {
                super.force(channel, metaData);
            }
        });
    }

    @Override
    public void truncate(FileChannel channel, long size) throws IOException {
        around("truncate", () -> super.truncate(channel, size));
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        around("move", () -> super.move(from, to));
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
        around("force directory", () -> {
            if (forces) {
                super.forceDirectory(directory);
            }
        });
    }

    private interface Operation {
        void run() throws IOException;
    }

    private void around(String name, Operation operation) throws IOException {
        around(name, operation, null);
    }

    /** {@code halfway}: what a crash halfway leaves, for the operations that can be cut in two. */
    private void around(String name, Operation operation, Operation halfway) throws IOException {
        operations.add(name);
        if (dead) {
            throw new Crash(name + " (after the crash)");
        }
        if (operations.size() != crashAt) {
            operation.run();
            return;
        }
        if (when == When.HALFWAY && halfway != null) {
            halfway.run();
        } else if (when != When.BEFORE) {
            operation.run();
        }
        dead = dies;
        throw new Crash(name + " (" + when + ")");
    }
}
