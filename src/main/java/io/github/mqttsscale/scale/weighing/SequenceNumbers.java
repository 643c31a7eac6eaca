package io.github.mqttsscale.scale.weighing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.github.mqttsscale.scale.storage.DurableFile;

/**
 * The {@code seq} of published readings: +1 per reading and never going back, also across restarts
 * and crashes. To spare the SD card it does not write every number: it reserves a block on disk and
 * hands numbers out of memory, so a restart skips ahead to the end of the last reserved block.
 */
public class SequenceNumbers {

    static final long BLOCK = 1000;

    private final DurableFile file;
    private long next;
    private long reservedUpTo;

    public SequenceNumbers(Path dataDir) {
        this.file = new DurableFile(dataDir.resolve("seq"));
        this.next = file.read().map(SequenceNumbers::parse).orElse(1L);
        this.reservedUpTo = next;
    }

    public synchronized long next() {
        if (next >= reservedUpTo) {
            reservedUpTo = next + BLOCK;
            file.write(Long.toString(reservedUpTo));
        }
        return next++;
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
