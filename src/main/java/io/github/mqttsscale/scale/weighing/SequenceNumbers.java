package io.github.mqttsscale.scale.weighing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.DurableFile;

/**
 * The {@code seq} of published readings: +1 per reading and never going back, also across restarts
 * and crashes. To spare the SD card it does not write every number: it reserves a block on disk and
 * hands numbers out of memory, so a restart skips ahead to the end of the last reserved block.
 *
 * <p>A data directory that cannot be written (full, read-only) does not stop the readings: numbers go on
 * from memory, the reservation is tried again every {@link #RETRY_EVERY} readings, and {@link #problem()}
 * says so (health), as until it is saved a restart can hand out numbers again.
 */
public class SequenceNumbers {

    private static final Logger LOG = LoggerFactory.getLogger(SequenceNumbers.class);
    static final long BLOCK = 1000;
    /** Often enough to notice soon that the disk takes writes again, rarely enough not to flood a failing one. */
    static final int RETRY_EVERY = 100;

    private final DurableFile file;
    private long next;
    private long reservedUpTo;
    private volatile String problem;

    public SequenceNumbers(Path dataDir) {
        this(dataDir, Disk.REAL);
    }

    SequenceNumbers(Path dataDir, Disk disk) {
        this.file = new DurableFile(dataDir.resolve("seq"), disk);
        this.next = file.read().map(SequenceNumbers::parse).orElse(1L);
        this.reservedUpTo = next;
    }

    public synchronized long next() {
        if (next >= reservedUpTo) {
            reserve();
        }
        return next++;
    }

    /** Why the numbers handed out are not saved, while they are not. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private void reserve() {
        try {
            file.write(Long.toString(next + BLOCK));
            reservedUpTo = next + BLOCK;
            if (problem != null) {
                LOG.info("The sequence number is saved again in {}", file.path());
                problem = null;
            }
        } catch (UncheckedIOException e) {
            reservedUpTo = next + RETRY_EVERY;
            if (problem == null) {
                problem = e.getMessage() + "; publishing goes on, but seq may repeat after a restart until it can be saved";
                LOG.error("{}", problem);
            }
        }
    }

    private static long parse(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UncheckedIOException(new IOException(
                    "The sequence file holds '" + text.trim() + "', not a number: delete it to start again "
                            + "(subscribers will then see seq restart at 1)", e));
        }
    }
}
