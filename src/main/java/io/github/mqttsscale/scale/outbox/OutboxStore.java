package io.github.mqttsscale.scale.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.DurableFile;

/**
 * The kept readings on disk, in the order they were kept: the files in {@code <data-dir>/outbox/}, {@code journal}
 * (see {@link Journal}) and {@code delivered}, the journal position up to which readings were taken out (with the
 * journal's generation, see {@link DeliveredPosition}). Opening it recovers what a crash left: a reading cut short
 * is cut off, damaged stretches are set aside in {@code damaged}, and the readings from the saved position on wait
 * again, so after a crash a few may be sent twice. It empties the journal once everything is out, and compacts it
 * when an outbox that never empties fills it with readings already taken out.
 *
 * <p>Not thread-safe: the {@link Outbox} holds its lock around every call.
 */
final class OutboxStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxStore.class);
    /** How many deliveries may pass before the position is saved: bounds duplicates after a crash, spares the disk. */
    static final int SAVE_EVERY = 10;
    /**
     * The journal is compacted once the bytes of readings delivered or dropped exceed those still waiting and this:
     * below it a rewrite would cost the SD card more than the space it gives back (an outage's readings go out and
     * empty the journal anyway; only one longer than {@code max-age}, or a backlog that never empties, needs it).
     */
    static final long COMPACT_AT_LEAST_BYTES = 1024 * 1024;

    /**
     * A reading in the journal, numbered in the order it was kept (+1 per kept reading in this run), with when it
     * began to wait on this run's monotonic clock (System.nanoTime(): a step of the wall clock does not move it).
     */
    record Waiting(Journal.Entry entry, long number, long waitingSinceNanos) {
    }

    /** When a reading taken at this wall-clock time began to wait, on the monotonic clock. */
    interface WaitingSince {
        long nanos(long takenAtMillis);
    }

    private final WaitingSince waitingSince;

    private final Journal journal;
    private final DurableFile deliveredFile;
    private final DeliveredPosition saved;
    private String repaired;
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final long compactAtLeastBytes;
    /** After a compaction failed (a full disk), the dead bytes it waits for before it tries again. */
    private long compactAtDeadBytes;
    private long delivered;
    private int unsavedDeliveries;
    private long lastNumber;
    /** Written under the outbox's lock, read without it (metrics). */
    private volatile long damaged;
    private volatile long compactions;

    /** Opens the files in {@code folder}; {@link #recover()} then finds the readings still to send. */
    OutboxStore(Path folder, Disk disk, long compactAtLeastBytes, WaitingSince waitingSince) throws IOException {
        this.compactAtLeastBytes = compactAtLeastBytes;
        this.waitingSince = waitingSince;
        this.compactAtDeadBytes = compactAtLeastBytes;
        this.deliveredFile = new DurableFile(folder.resolve("delivered"), disk);
        this.saved = deliveredFile.read().map(this::parseDelivered).orElse(DeliveredPosition.NONE);
        this.journal = new Journal(folder.resolve("journal"), disk, saved.generation() + 1);
    }

    /**
     * The saved position, or none when the file is damaged (a bad byte, a write cut short): a position that cannot be
     * trusted means every kept reading goes out again, as duplicates are better than a lost outage.
     */
    private DeliveredPosition parseDelivered(String text) {
        try {
            return DeliveredPosition.parse(text);
        } catch (RuntimeException damaged) {
            repaired = deliveredFile.path() + " was damaged ('" + text.strip() + "'): every kept reading is sent "
                    + "again, so some may arrive twice";
            LOG.warn("The outbox's {}", repaired);
            return DeliveredPosition.NONE;
        }
    }

    /** What was found damaged at the start and how it was dealt with, if anything. */
    Optional<String> repaired() {
        return Optional.ofNullable(repaired);
    }

    /** Reads the journal: the readings from the saved position on wait again, damage among them is set aside. */
    void recover() throws IOException {
        Journal.Scan scan = journal.scan();
        if (scan.cutOffBytes() > 0) {
            LOG.warn(
                    "The outbox ended in a reading that was only partly written ({} bytes, from a crash or power cut "
                            + "while it was being kept): skipped it, its bytes are in {}",
                    scan.cutOffBytes(), journal.setAsidePath());
        }
        this.delivered = resumeFrom(saved, scan);
        setAsideDamage(scan.damaged().stream().filter(damage -> damage.position() >= delivered).toList());
        scan.entries().stream().filter(entry -> entry.position() >= delivered).forEach(this::enqueue);
        if (waiting.isEmpty() && journal.size() > journal.start()) {
            reset();
        }
    }

    /** Keeps a reading, forced to disk: on failure nothing was kept (the journal is rolled back). */
    void append(KeptReading reading) throws IOException {
        enqueue(journal.append(reading));
    }

    /** The oldest waiting reading, or null. */
    Waiting first() {
        return waiting.peekFirst();
    }

    KeptReading read(Waiting reading) throws IOException {
        return journal.read(reading.entry());
    }

    /** Takes out the oldest waiting reading (delivered or dropped): saved now and then, the journal emptied or compacted. */
    void removeFirst() {
        Waiting first = waiting.pollFirst();
        advanceTo(first.entry().end());
    }

    /** Takes out the oldest waiting reading, which cannot be read: its bytes go to {@code damaged}, counted. */
    void setAsideFirst() {
        Journal.Entry entry = waiting.peekFirst().entry();
        try {
            journal.setAside(new Journal.Damage(entry.position(), entry.size()));
        } catch (IOException e) {
            LOG.warn("Cannot copy an unreadable kept reading to {}: {}", journal.setAsidePath(), e.getMessage());
        }
        damaged++;
        removeFirst();
    }

    /** The waiting readings, oldest first. */
    List<Waiting> waiting() {
        return List.copyOf(waiting);
    }

    int size() {
        return waiting.size();
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    Path path() {
        return journal.path();
    }

    /** Damaged stretches set aside since start. */
    long damaged() {
        return damaged;
    }

    /** Compactions of the journal since start. */
    long compactions() {
        return compactions;
    }

    @Override
    public void close() throws IOException {
        saveDelivered();
        journal.close();
    }

    /** Closes the journal without saving anything: the outbox could not be opened after all. */
    void abandon() throws IOException {
        journal.close();
    }

    /**
     * Where the readings still to send start. A position of another generation was saved before the journal was
     * last emptied: everything in it is new. One that is no reading's start or end (past the end, or a damaged
     * file) cannot be trusted: everything is sent again, as duplicates are better than a lost outage.
     */
    private long resumeFrom(DeliveredPosition saved, Journal.Scan scan) {
        if (saved.generation() != journal.generation()) {
            return journal.start();
        }
        if (saved.position() == journal.start() || scan.isBoundary(saved.position())) {
            return saved.position();
        }
        LOG.warn(
                "The outbox's saved position {} is not where a kept reading starts or ends (the journal has {} readings): "
                        + "sending all of them again, so some may arrive twice",
                saved.position(), scan.entries().size());
        return journal.start();
    }

    /** Damage among the readings still to send: counted, logged once, its bytes kept aside for a post-mortem. */
    private void setAsideDamage(List<Journal.Damage> damage) throws IOException {
        if (damage.isEmpty()) {
            return;
        }
        for (Journal.Damage stretch : damage) {
            journal.setAside(stretch);
        }
        damaged += damage.size();
        LOG.error(
                "The outbox had {} damaged stretch(es), {} bytes, among the readings waiting (a disk or SD card error): "
                        + "skipped them, each lost the reading(s) in it, the readings around them are kept; the bytes are in {}",
                damage.size(), damage.stream().mapToLong(Journal.Damage::length).sum(), journal.setAsidePath());
    }

    private void enqueue(Journal.Entry entry) {
        waiting.addLast(new Waiting(entry, ++lastNumber, waitingSince.nanos(entry.takenAtMillis())));
    }

    private void advanceTo(long position) {
        delivered = position;
        if (waiting.isEmpty()) {
            reset();
        } else if (!compactIfMostlyDead() && ++unsavedDeliveries >= SAVE_EVERY) {
            saveDelivered();
        }
    }

    /**
     * The journal only empties once everything in it was sent: during an outage longer than {@code max-age} readings
     * expire at its front while new ones are appended, and it would grow without bound. Once the bytes before the
     * oldest waiting reading outweigh those from it on (and {@link #compactAtLeastBytes}), the waiting readings are
     * rewritten into a new journal ({@link Journal#compact}): the journal stays under about twice what waits, plus
     * that minimum, and each byte is rewritten a bounded number of times.
     *
     * @return whether it was compacted (its new generation makes the saved position stale: nothing to save)
     */
    private boolean compactIfMostlyDead() {
        long dead = delivered - journal.start();
        try {
            long live = journal.size() - delivered;
            if (dead < compactAtDeadBytes || dead <= live) {
                return false;
            }
            List<Journal.Entry> moved = journal.compact(waiting.stream().map(Waiting::entry).toList(),
                    journal.generation() + 1);
            List<Waiting> renumbered = new ArrayList<>(waiting.size());
            int index = 0;
            for (Waiting reading : waiting) {
                renumbered.add(new Waiting(moved.get(index++), reading.number(), reading.waitingSinceNanos()));
            }
            waiting.clear();
            waiting.addAll(renumbered);
            delivered = journal.start();
            unsavedDeliveries = 0;
            compactAtDeadBytes = compactAtLeastBytes;
            compactions++;
            LOG.info(
                    "Compacted the outbox: {} waiting readings ({} bytes) rewritten, {} bytes of readings sent or dropped "
                            + "given back",
                    renumbered.size(), live, dead);
            return true;
        } catch (IOException e) {
            compactAtDeadBytes = dead + compactAtLeastBytes;
            LOG.warn(
                    "Cannot compact the outbox {} ({}): it goes on in the journal as it is, and tries again once another "
                            + "{} bytes were sent or dropped",
                    journal.path(), e.getMessage(), compactAtLeastBytes);
            return false;
        }
    }

    /**
     * Everything is out: the journal is emptied under a new generation, which makes the saved position stale by
     * itself, so there is no window in which a crash leaves an old position pointing into the next outage.
     */
    private void reset() {
        try {
            journal.restart(journal.generation() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot empty the outbox " + journal.path() + ": " + e.getMessage(), e);
        }
        delivered = journal.start();
        unsavedDeliveries = 0;
    }

    private void saveDelivered() {
        deliveredFile.write(new DeliveredPosition(journal.generation(), delivered).text());
        unsavedDeliveries = 0;
    }
}
