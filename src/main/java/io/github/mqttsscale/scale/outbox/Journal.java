package io.github.mqttsscale.scale.outbox;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import io.github.mqttsscale.scale.storage.Disk;

/**
 * An append-only file of kept readings. Each record is {@code length, crc32, body}, forced to disk
 * before {@link #append} returns, so a reading that was kept survives SIGKILL and a power cut; a record
 * cut short by a crash fails its length or checksum and is cut off when the file is opened.
 */
final class Journal implements AutoCloseable {

    private static final int HEADER = Integer.BYTES * 2;

    /** Where a record is, and what the outbox needs to know without reading it. */
    record Entry(long position, int size, long takenAtMillis) {
        long end() {
            return position + size;
        }
    }

    /** What {@link #scan} found from a position on: the intact records, and how much was cut off. */
    record Scan(List<Entry> entries, long cutOffBytes) {
    }

    private final Path path;
    private final FileChannel channel;
    private final Disk disk;

    Journal(Path path, Disk disk) {
        this.path = path;
        this.disk = disk;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the outbox " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads the records from {@code from} on; a damaged tail is truncated so that appends go after good records. */
    Scan scan(long from) throws IOException {
        List<Entry> entries = new ArrayList<>();
        long size = channel.size();
        long position = Math.min(from, size);
        while (position < size) {
            Entry entry = readEntry(position, size);
            if (entry == null) {
                disk.truncate(channel, position);
                disk.force(channel, true);
                return new Scan(entries, size - position);
            }
            entries.add(entry);
            position = entry.end();
        }
        return new Scan(entries, 0);
    }

    Entry append(KeptReading reading) throws IOException {
        byte[] body = encode(reading);
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteBuffer record = ByteBuffer.allocate(HEADER + body.length);
        record.putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
        long position = channel.size();
        disk.write(channel, record, position);
        disk.force(channel, false);
        return new Entry(position, HEADER + body.length, reading.takenAtMillis());
    }

    KeptReading read(Entry entry) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(entry.size() - HEADER);
        readFully(body, entry.position() + HEADER);
        return decode(body.array());
    }

    /** Empties the file once everything in it was delivered, so it never grows without bound. */
    void clear() throws IOException {
        disk.truncate(channel, 0);
        disk.force(channel, true);
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

    private Entry readEntry(long position, long size) throws IOException {
        if (size - position < HEADER) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(header, position);
        header.flip();
        int length = header.getInt();
        int checksum = header.getInt();
        if (length <= 0 || length > size - position - HEADER) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(body, position + HEADER);
        CRC32 crc = new CRC32();
        crc.update(body.array());
        if ((int) crc.getValue() != checksum) {
            return null;
        }
        return new Entry(position, HEADER + length, decode(body.array()).takenAtMillis());
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
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            return new KeptReading(takenAt, topic, qos, payload);
        }
    }
}
