package io.github.mqttsscale.scale.weighing;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.DurableFile;
import io.github.mqttsscale.scale.storage.StorageProblem;

/**
 * The {@code seq} of published readings: +1 per reading and never going back, also across restarts
 * and crashes. To spare the SD card it does not write every number: it reserves a block on disk and
 * hands numbers out of memory. A clean stop ({@link #close()}) saves the exact next number, so {@code seq} goes on
 * without a gap; only a crash or a power cut makes a restart skip ahead to the end of the last reserved block.
 *
 * <p>A data directory that cannot be written (full, read-only) does not stop the readings: numbers go on
 * from memory, the reservation is tried again every {@link #RETRY_EVERY} readings, and {@link #problem()}
 * says so (health). When the first reservation of a run fails, numbers the run before handed out may not have been
 * saved either: they go on from the clock instead, in milliseconds since 1970 (more than any scale publishes per
 * second), so a restart still does not repeat them.
 */
public class SequenceNumbers {

    private static final Logger LOG = LoggerFactory.getLogger(SequenceNumbers.class);
    static final long BLOCK = 1000;
    /** Often enough to notice soon that the disk takes writes again, rarely enough not to flood a failing one. */
    static final int RETRY_EVERY = 100;
    private static final String CONSEQUENCE = "seq is kept in memory only (after a restart it goes on from the clock, "
            + "in milliseconds since 1970: it jumps ahead, and still never goes back)";

    private final Path dataDir;
    private final DurableFile file;
    private final Clock clock;
    private long next;
    private long reservedUpTo;
    /** False until a number of this run was reserved on disk or taken from the clock. */
    private boolean anchored;
    private volatile StorageProblem problem;
    private String repaired;

    public SequenceNumbers(Path dataDir) {
        this(dataDir, Disk.REAL);
    }

    public SequenceNumbers(Path dataDir, Disk disk) {
        this(dataDir, disk, Clock.systemUTC());
    }

    SequenceNumbers(Path dataDir, Disk disk, Clock clock) {
        this.dataDir = dataDir;
        this.file = new DurableFile(dataDir.resolve("seq"), disk);
        this.clock = clock;
        this.next = read();
        this.reservedUpTo = next;
    }

    public synchronized long next() {
        if (next >= reservedUpTo) {
            reserve();
        }
        return next++;
    }

    /**
     * A clean stop: saves the exact next number, so that the next start goes on from it rather than from the end of
     * the reserved block. A number asked for after this reserves a block again first, so none is ever handed out
     * twice.
     */
    public synchronized void close() {
        if (!anchored || problem != null || next >= reservedUpTo) {
            return; // nothing reserved ahead, or the disk does not take writes: the saved value already holds
        }
        try {
            file.write(Long.toString(next));
            reservedUpTo = next;
        } catch (UncheckedIOException e) {
            LOG.warn("Cannot save the next sequence number in {} ({}): after the restart seq goes on from {}",
                    file.path(), e.getMessage(), reservedUpTo);
        }
    }

    /** Why the numbers handed out are not saved, while they are not. */
    public Optional<StorageProblem> problem() {
        return Optional.ofNullable(problem);
    }

    private long read() {
        try {
            return file.read().map(this::parse).orElse(1L);
        } catch (UncheckedIOException unreadable) {
            failed(unreadable);
            return Math.max(1, clock.millis());
        }
    }

    /** What was found damaged at the start and how it was dealt with, if anything. */
    public Optional<String> repaired() {
        return Optional.ofNullable(repaired);
    }

    private void reserve() {
        try {
            file.write(Long.toString(next + BLOCK));
            reservedUpTo = next + BLOCK;
            anchored = true;
            if (problem != null) {
                LOG.info("The sequence number is saved again in {}", file.path());
                problem = null;
            }
        } catch (UncheckedIOException e) {
            if (!anchored) {
                next = Math.max(next, clock.millis());
                anchored = true;
            }
            reservedUpTo = next + RETRY_EVERY;
            failed(e);
        }
    }

    private void failed(UncheckedIOException e) {
        if (problem == null) {
            problem = StorageProblem.of(dataDir, e, CONSEQUENCE);
            LOG.error("Cannot save the sequence number in {} ({}): {}", file.path(), e.getMessage(), problem.text());
        }
    }

    /**
     * The saved next number; a damaged file (a bad byte, a write cut short) must not stop the start: seq goes on from
     * the clock, as after a crash without a saved number, so it jumps ahead and never repeats one.
     */
    private long parse(String text) {
        try {
            long saved = Long.parseLong(text.trim());
            if (saved >= 1) {
                return saved;
            }
        } catch (NumberFormatException damaged) {
            // said below
        }
        long fromClock = Math.max(1, clock.millis());
        repaired = file.path() + " was damaged ('" + text.strip() + "'): seq goes on from the clock, " + fromClock
                + " (milliseconds since 1970), so it jumps ahead and repeats no number";
        LOG.warn("The sequence number file {}", repaired);
        anchored = true;
        return fromClock;
    }
}
