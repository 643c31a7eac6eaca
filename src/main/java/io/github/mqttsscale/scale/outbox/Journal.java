package io.github.mqttsscale.scale.outbox;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.mqttsscale.scale.storage.Disk;

/**
 * An append-only file of kept readings. It starts with a header, {@code magic, generation}, then each record
 * is {@code length, crc32, body}, forced to disk before {@link #append} returns, so a reading that was kept
 * survives SIGKILL and a power cut; a record cut short by a crash fails its length or checksum and is cut off
 * when the file is opened, one damaged in the middle (a disk error) is skipped and the records behind it kept. The generation changes each time the journal is emptied ({@link #restart}), so a
 * saved position from before is known to be stale ({@link DeliveredPosition}).
 */
final class Journal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    /** The generation of a journal written before headers existed: its records start at 0. */
    static final long NO_GENERATION = 0;
    /** Negative, so a journal from before headers, which starts with a record's length, is never taken for one. */
    private static final int MAGIC = 0xCA1E_0B0C;
    private static final int FILE_HEADER = Integer.BYTES + Long.BYTES;
    private static final int HEADER = Integer.BYTES * 2;
    /**
     * Far above any reading (a weight's JSON is a few hundred bytes); bounds what a damaged length makes the
     * search for the next good record read, at each byte it tries.
     */
    static final int MAX_BODY = 256 * 1024;
    /** How much of a compaction is written at once: few writes, a small buffer. */
    private static final int COMPACTION_CHUNK = 64 * 1024;
    /** What is kept of one damaged stretch for a post-mortem: enough to see what happened, not a disk's worth. */
    private static final int MAX_SET_ASIDE = 1024 * 1024;
    /** The most the file of set-aside bytes grows to: a crash loop over the same damage must not fill the card. */
    static final long MAX_SET_ASIDE_FILE = 4L * MAX_SET_ASIDE;

    /** Where a record is, and what the outbox needs to know without reading it. */
    record Entry(long position, int size, long takenAtMillis) {
        long end() {
            return position + size;
        }
    }

    /** Bytes between two good records that are no record: a damaged one (or more), skipped. */
    record Damage(long position, long length) {
        long end() {
            return position + length;
        }
    }

    /** What {@link #scan} found: the intact records, the damaged stretches between them, and how much was cut off. */
    record Scan(List<Entry> entries, List<Damage> damaged, long cutOffBytes) {

        /** True when a reading starts or ends at {@code position}: a position the outbox can have saved. */
        boolean isBoundary(long position) {
            return entries.stream().anyMatch(entry -> entry.position() == position || entry.end() == position)
                    || damaged.stream().anyMatch(damage -> damage.position() == position || damage.end() == position);
        }
    }

    private final Path path;
    private FileChannel channel;
    private final Disk disk;
    private final Path setAside;
    private long generation;
    private long start;

    /** Opens the journal; when it is new (or empty after a crash while it was emptied) it gets {@code generationIfNew}. */
    Journal(Path path, Disk disk, long generationIfNew) throws IOException {
        this.path = path;
        this.disk = disk;
        this.setAside = path.resolveSibling("damaged");
        boolean created = !Files.exists(path);
        this.channel = disk.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            disk.delete(compactedPath()); // a compaction a crash cut short: the journal is still the one before it
            readHeader(generationIfNew);
            if (created) {
                disk.forceDirectory(path.getParent());
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads the records. Where one fails its length or checksum, the search goes on byte by byte for the next
     * record that passes both, so a damaged record costs that record alone. With no good record behind it, it
     * was cut short by a crash: the tail is set aside and truncated, so that appends go after good records.
     */
    Scan scan() throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<Damage> damaged = new ArrayList<>();
        long size = channel.size();
        long position = start;
        while (position < size) {
            Entry entry = readEntry(position, size);
            if (entry != null) {
                entries.add(entry);
                position = entry.end();
                continue;
            }
            long next = nextRecord(position + 1, size);
            if (next == size) {
                setAside(new Damage(position, size - position));
                disk.truncate(channel, position);
                disk.force(channel, true);
                return new Scan(entries, damaged, size - position);
            }
            damaged.add(new Damage(position, next - position));
            position = next;
        }
        return new Scan(entries, damaged, 0);
    }

    /** Appends damaged bytes to {@code damaged} beside the journal, for a post-mortem. */
    void setAside(Damage damage) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(damage.length(), MAX_SET_ASIDE));
        readFully(bytes, damage.position());
        bytes.flip();
        boolean created = !Files.exists(setAside);
        try (FileChannel out = disk.open(setAside, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (out.size() + bytes.remaining() > MAX_SET_ASIDE_FILE) {
                return; // it holds enough for a post-mortem already
            }
            disk.write(out, bytes, out.size());
            disk.force(out, false);
        }
        if (created) {
            disk.forceDirectory(setAside.getParent());
        }
    }

    Path setAsidePath() {
        return setAside;
    }

    Entry append(KeptReading reading) throws IOException {
        byte[] body = encode(reading);
        if (body.length > MAX_BODY) {
            throw new IOException("a reading of " + body.length + " bytes is over the outbox's limit of " + MAX_BODY);
        }
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteBuffer record = ByteBuffer.allocate(HEADER + body.length);
        record.putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
        long position = channel.size();
        try {
            disk.write(channel, record, position);
            disk.force(channel, false);
        } catch (IOException e) {
            rollBack(position, e);
            throw e;
        }
        return new Entry(position, HEADER + body.length, reading.takenAtMillis());
    }

    /**
     * A failed append (full disk, I/O error) is cut off again: later appends would follow its bytes and find them
     * read as damage at the next start, and a reading the route was told is not kept must not come back. Should
     * that fail too, the next start skips the bytes as damage and the readings behind them are kept.
     */
    private void rollBack(long length, IOException failure) {
        try {
            disk.truncate(channel, length);
            disk.force(channel, false);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Reads a kept reading back, checked against its CRC again: the card may have damaged it since it was kept.
     *
     * @throws IOException when it cannot be read, or no longer fits its CRC
     */
    KeptReading read(Entry entry) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(entry.size());
        readFully(record, entry.position());
        record.flip();
        int length = record.getInt();
        int expected = record.getInt();
        byte[] body = new byte[entry.size() - HEADER];
        record.get(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        if (length != body.length || (int) crc.getValue() != expected) {
            throw new IOException("the kept reading at " + entry.position() + " in " + path()
                    + " was damaged since it was kept (it no longer fits its checksum)");
        }
        return decode(body);
    }

    /**
     * Empties the file once everything in it was delivered, so it never grows without bound, and gives it the next
     * generation. Truncated first: a crash before the new header leaves an empty file, which gets a new generation
     * when opened, never old records under a new generation.
     */
    void restart(long newGeneration) throws IOException {
        disk.truncate(channel, 0);
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER).putInt(MAGIC).putLong(newGeneration).flip();
        disk.write(channel, header, 0);
        disk.force(channel, true);
        generation = newGeneration;
        start = FILE_HEADER;
    }

    /**
     * Rewrites the journal with {@code live} alone (the readings still to send, in order) under {@code newGeneration}:
     * written in full to a file beside it, forced, then renamed over it and the directory forced. A crash before the
     * rename leaves the old journal, whole, with its saved position; after it, the new generation makes any position
     * saved in the old journal stale, so everything in the new one is sent, which is exactly {@code live}. Nothing is
     * changed when it fails before the rename.
     *
     * @return the same readings where they are in the new journal
     */
    List<Entry> compact(List<Entry> live, long newGeneration) throws IOException {
        Path compacted = compactedPath();
        FileChannel out = disk.open(compacted, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        List<Entry> moved = new ArrayList<>(live.size());
        try {
            ByteBuffer chunk = ByteBuffer.allocate(COMPACTION_CHUNK);
            chunk.putInt(MAGIC).putLong(newGeneration);
            long written = 0;
            for (Entry entry : live) {
                if (chunk.position() + entry.size() > chunk.capacity()) {
                    written += writeChunk(out, chunk, written);
                }
                moved.add(new Entry(written + chunk.position(), entry.size(), entry.takenAtMillis()));
                ByteBuffer record = entry.size() > chunk.capacity() ? ByteBuffer.allocate(entry.size()) : chunk;
                ByteBuffer slice = record.slice(record.position(), entry.size());
                readFully(slice, entry.position());
                record.position(record.position() + entry.size());
                if (record != chunk) {
                    written += writeChunk(out, record, written);
                }
            }
            writeChunk(out, chunk, written);
            disk.force(out, true);
            disk.move(compacted, path);
        } catch (IOException e) {
            out.close();
            disk.delete(compacted);
            throw e;
        }
        // renamed: from here on the journal is the new file, whatever happens next
        channel.close();
        channel = out;
        generation = newGeneration;
        start = FILE_HEADER;
        try {
            disk.forceDirectory(path.getParent());
        } catch (IOException e) { // the rename is done and the new file in use: only a power cut soon after could undo it
            LOG.error("Cannot force {} to disk after compacting the outbox ({}): a power cut in the next seconds could "
                    + "bring back the journal from before, and lose readings kept since", path.getParent(),
                    e.getMessage());
        }
        return moved;
    }

    private Path compactedPath() {
        return path.resolveSibling(path.getFileName() + ".compacted");
    }

    private int writeChunk(FileChannel out, ByteBuffer chunk, long position) throws IOException {
        chunk.flip();
        int length = chunk.remaining();
        disk.write(out, chunk, position);
        chunk.clear();
        return length;
    }

    long generation() {
        return generation;
    }

    /** Where the first record goes: after the header. */
    long start() {
        return start;
    }

    long size() throws IOException {
        return channel.size();
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Too short for a header and a record means nothing was kept in it: a new file, or one cut short while emptied. */
    private void readHeader(long generationIfNew) throws IOException {
        if (channel.size() < FILE_HEADER) {
            restart(generationIfNew);
            return;
        }
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER);
        readFully(header, 0);
        header.flip();
        if (header.getInt() == MAGIC) {
            generation = header.getLong();
            start = FILE_HEADER;
        } else {
            generation = NO_GENERATION;
            start = 0;
        }
    }

    private long nextRecord(long from, long size) throws IOException {
        for (long position = from; position < size; position++) {
            if (readEntry(position, size) != null) {
                return position;
            }
        }
        return size;
    }

    /** The record at {@code position}, or null when there is none whole and intact. */
    private Entry readEntry(long position, long size) throws IOException {
        if (size - position < HEADER) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(header, position);
        header.flip();
        int length = header.getInt();
        int checksum = header.getInt();
        if (length <= 0 || length > MAX_BODY || length > size - position - HEADER) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(body, position + HEADER);
        CRC32 crc = new CRC32();
        crc.update(body.array());
        if ((int) crc.getValue() != checksum) {
            return null;
        }
        try {
            return new Entry(position, HEADER + length, decode(body.array()).takenAtMillis());
        } catch (IOException notAReading) { // a checksum that fits bytes that are no reading: 1 in 4 billion
            return null;
        }
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("Unexpected end of " + path);
            }
        }
    }

    private static byte[] encode(KeptReading reading) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(reading.payload().length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(reading.takenAtMillis());
            out.writeUTF(reading.topic());
            out.writeByte(reading.qos());
            out.writeInt(reading.payload().length);
            out.write(reading.payload());
        }
        return bytes.toByteArray();
    }

    private static KeptReading decode(byte[] body) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
            long takenAt = in.readLong();
            String topic = in.readUTF();
            int qos = in.readByte();
            int length = in.readInt();
            if (length < 0 || length > body.length) {
                throw new IOException("a payload length of " + length + " in a record of " + body.length + " bytes");
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new KeptReading(takenAt, topic, qos, payload);
        }
    }
}
