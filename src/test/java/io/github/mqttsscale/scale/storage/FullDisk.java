package io.github.mqttsscale.scale.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A {@link Disk} that can fill up, refusing every write as a full or read-only data directory does, and be freed. */
public class FullDisk extends Disk {

    private volatile boolean full = true;

    public void free() {
        full = false;
    }

    @Override
    public void write(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        if (full) {
            throw new IOException("No space left on device");
        }
        super.write(channel, bytes, position);
    }
}
