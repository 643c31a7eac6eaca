package io.github.mqttsscale.scale.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.mqttsscale.hx711.Hx711Constants;
import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.DurableFile;
import io.github.mqttsscale.scale.storage.PrivateDirectory;
import io.github.mqttsscale.scale.storage.StorageProblem;

/**
 * Readings that could not be published when they were taken, kept on disk until the broker has
 * acknowledged them, and sent in the order they were taken. While anything waits here, newer readings
 * queue behind it, so subscribers see {@code seq} in order. Nothing is written while the broker takes
 * every reading at once: the SD card is only used during an outage.
 *
 * <p>Files in {@code <data-dir>/outbox/}: {@code journal}, the kept readings (see {@link Journal}), and
 * {@code delivered}, the journal position up to which the broker acknowledged them (with the journal's
 * generation, see {@link DeliveredPosition}). After a crash the readings from that position on are sent again,
 * so a few may arrive twice (same {@code seq}).
 */
@ManagedResource(objectName = "io.github.mqttsscale:type=Outbox",
        description = "Readings kept while the broker was unreachable")
public class Outbox implements AutoCloseable, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    /** How many deliveries may pass before the position is saved: bounds duplicates after a crash, spares the disk. */
    static final int SAVE_EVERY = 10;
    /**
     * The journal is compacted once the bytes of readings delivered or dropped exceed those still waiting and this:
     * below it a rewrite would cost the SD card more than the space it gives back (an outage's readings go out and
     * empty the journal anyway; only one longer than {@code max-age}, or a backlog that never empties, needs it).
     */
    /** The header with the topic a reading is published on: kept with it, and set again when it is sent. */
    public static final String TOPIC = "topic";

    static final long COMPACT_AT_LEAST_BYTES = 1024 * 1024;

    /** Both null when the data directory could not be written at start: then readings are published live only. */
    private Journal journal;
    private DurableFile deliveredFile;
    private final Path dataDir;
    private final OutboxProperties limits;
    private final int qos;
    private final Clock clock;
    private final BooleanSupplier brokerConnected;
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong damaged = new AtomicLong();
    private final AtomicLong compactions = new AtomicLong();
    private final long compactAtLeastBytes;
    /** After a compaction failed (a full disk), the dead bytes it waits for before it tries again. */
    private long compactAtDeadBytes;
    private final AtomicLong lost = new AtomicLong();
    private volatile StorageProblem problem;
    private long delivered;
    private int unsavedDeliveries;
    private long lastNumber;

    /**
     * The oldest kept reading as handed to the sender, with its number in this run of the outbox (+1 per kept reading):
     * {@link #delivered(long)} takes out this reading and no other, even when it was dropped in the meantime.
     */
    public record Next(long number, KeptReading reading) {
    }

    /** A reading in the journal, numbered in the order it was kept. */
    private record Waiting(Journal.Entry entry, long number) {
    }

    public Outbox(Path dataDir, OutboxProperties limits, int qos, BooleanSupplier brokerConnected,
            Clock clock) {
        this(dataDir, limits, qos, brokerConnected, clock, Disk.REAL);
    }

    public Outbox(Path dataDir, OutboxProperties limits, int qos, BooleanSupplier brokerConnected,
            Clock clock,
            Disk disk) {
        this(dataDir, limits, qos, brokerConnected, clock, disk, COMPACT_AT_LEAST_BYTES);
    }

    /** With a smaller {@link #COMPACT_AT_LEAST_BYTES}, so that a test's few readings get compacted. */
    Outbox(Path dataDir, OutboxProperties limits, int qos, BooleanSupplier brokerConnected, Clock clock,
            Disk disk, long compactAtLeastBytes) {
        this.compactAtLeastBytes = compactAtLeastBytes;
        this.compactAtDeadBytes = compactAtLeastBytes;
        this.brokerConnected = brokerConnected;
        this.limits = limits;
        this.qos = qos;
        this.clock = clock;
        this.dataDir = dataDir;
        try {
            Path folder = PrivateDirectory.create(dataDir.resolve("outbox"), disk);
            this.deliveredFile = new DurableFile(folder.resolve("delivered"), disk);
            DeliveredPosition saved = deliveredFile.read().map(DeliveredPosition::parse).orElse(DeliveredPosition.NONE);
            this.journal = new Journal(folder.resolve("journal"), disk, saved.generation() + 1);
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
        } catch (IOException | UncheckedIOException e) {
            withoutOutbox(e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(
                    "Cannot open the outbox in " + dataDir.resolve("outbox") + ": " + e.getMessage()
                            + " (move the folder aside to start with an empty outbox)",
                    e);
        }
        if (!waiting.isEmpty()) {
            LOG.info(
                    "{} readings kept from before are waiting in the outbox; they go out, oldest first, once the broker takes them",
                    waiting.size());
        }
    }

    /**
     * A data directory that cannot be written (read-only, full) must not stop the scale, which systemd would then
     * restart every few seconds, publishing nothing: it publishes live, and says what that costs. Readings kept
     * before stay in the journal for a start that can write it.
     */
    private void withoutOutbox(Exception failure) {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        journal = null;
        deliveredFile = null;
        problem = StorageProblem.of(dataDir, failure, "readings are published live only, and none are kept while the "
                + "broker is away, until mqtts-scale is restarted with it writable");
        LOG.error("Cannot open the outbox in {} ({}): {}", dataDir.resolve("outbox"), failure.getMessage(),
                problem.text());
    }

    /**
     * True when a new reading must queue here: older ones are still waiting, or the broker is away. A reading from the
     * outbox itself ({@code keptReading} set) never waits: it is the oldest.
     */
    public synchronized boolean mustWait(@Header(OutboxConsumer.KEPT_READING) Long keptReading) {
        return keptReading == null && (!waiting.isEmpty() || !brokerConnected.getAsBoolean());
    }

    /**
     * Keeps a reading, durably, before the route moves on. A reading from the outbox ({@code keptReading} set) is
     * kept already: it stays where it is, first in line.
     */
    public void keep(@Body byte[] payload, @Header(Hx711Constants.TIMESTAMP) Instant takenAt,
            @Header(OutboxConsumer.KEPT_READING) Long keptReading, @Header(TOPIC) String topic) {
        if (keptReading != null) {
            return;
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("The reading has no header " + TOPIC + ": the route must say where it "
                    + "goes before it is published or kept (routes/scale.camel.yaml, step weight-topic)");
        }
        long takenAtMillis = (takenAt != null ? takenAt : clock.instant()).toEpochMilli();
        if (journal == null) {
            if (lost.incrementAndGet() == 1) {
                LOG.warn(
                        "A reading could not be published and there is no outbox to keep it in ({}); such readings are "
                                + "counted in Outbox.Lost, not logged again",
                        problem.state());
            }
            return;
        }
        synchronized (this) {
            dropExpired();
            while (waiting.size() >= limits.maxReadings()) {
                drop(waiting.peekFirst(), "it is full (scale.outbox.max-readings=" + limits.maxReadings() + ")");
            }
            try {
                enqueue(journal.append(new KeptReading(takenAtMillis, topic, qos, payload)));
                problem = null;
            } catch (IOException e) {
                problem = StorageProblem.of(dataDir, e,
                        "readings taken while the broker is away are lost until one can be kept");
                lost.incrementAndGet();
                throw new UncheckedIOException("Cannot keep a reading in " + journal.path() + ": " + e.getMessage(), e);
            }
            kept.incrementAndGet();
            notifyAll();
        }
    }

    /** The oldest kept reading, without taking it out: it leaves only once {@link #delivered} says so. */
    public synchronized Optional<Next> oldest() {
        dropExpired();
        Waiting first = waiting.peekFirst();
        if (first == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Next(first.number(), journal.read(first.entry())));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the outbox " + journal.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The broker acknowledged the reading numbered {@code number} ({@link Next#number()}). Nothing is taken out when
     * that reading is no longer waiting: it was dropped while it was being sent (outbox full or too old), and the
     * next one was not sent.
     */
    public synchronized void delivered(long number) {
        Waiting first = waiting.peekFirst();
        if (first == null || first.number() != number) {
            return;
        }
        waiting.pollFirst();
        sent.incrementAndGet();
        advanceTo(first.entry().end());
    }

    /**
     * Why the last reading could not be kept, until one is again (full or read-only data directory), or why there is
     * no outbox at all.
     */
    public Optional<StorageProblem> problem() {
        return Optional.ofNullable(problem);
    }

    /** Waits up to {@code timeout} for something to be kept, so the sender sleeps while there is nothing to send. */
    public synchronized void awaitReadings(Duration timeout) throws InterruptedException {
        if (waiting.isEmpty()) {
            wait(Math.max(1, timeout.toMillis()));
        }
    }

    @ManagedAttribute(description = "Readings waiting to be sent")
    public synchronized int getWaiting() {
        return waiting.size();
    }

    @ManagedAttribute(description = "Readings kept since start because they could not be published at once")
    public long getKept() {
        return kept.get();
    }

    @ManagedAttribute(description = "Kept readings the broker has acknowledged since start")
    public long getSent() {
        return sent.get();
    }

    @ManagedAttribute(
            description = "Kept readings dropped since start because the outbox was full or they were too old")
    public long getDropped() {
        return dropped.get();
    }

    @ManagedAttribute(
            description = "Readings neither published nor kept since start, as the data directory could not be written")
    public long getLost() {
        return lost.get();
    }

    @ManagedAttribute(description = "Times the journal was rewritten with the waiting readings alone, since start")
    public long getCompactions() {
        return compactions.get();
    }

    @ManagedAttribute(
            description = "Damaged stretches of the outbox skipped since start (each lost the reading, or the few readings, in it)")
    public long getDamaged() {
        return damaged.get();
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        FunctionCounter.builder("scale.outbox.kept", this, Outbox::getKept)
                .description("Readings kept because they could not be published at once").register(meters);
        FunctionCounter.builder("scale.outbox.dropped", this, Outbox::getDropped)
                .description("Kept readings dropped because the outbox was full or they were too old").register(meters);
        FunctionCounter.builder("scale.outbox.damaged", this, Outbox::getDamaged)
                .description("Damaged stretches of the outbox skipped (each lost the readings in it)").register(meters);
        FunctionCounter.builder("scale.outbox.lost", this, Outbox::getLost)
                .description("Readings neither published nor kept, as the data directory could not be written")
                .register(meters);
        FunctionCounter.builder("scale.outbox.compactions", this, Outbox::getCompactions)
                .description("Times the journal was rewritten with the waiting readings alone").register(meters);
        Gauge.builder("scale.outbox.waiting", this, Outbox::getWaiting)
                .description("Readings waiting to be sent").register(meters);
    }

    @Override
    public synchronized void close() throws IOException {
        if (journal == null) {
            return;
        }
        saveDelivered();
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
        damaged.addAndGet(damage.size());
        LOG.error(
                "The outbox had {} damaged stretch(es), {} bytes, among the readings waiting (a disk or SD card error): "
                        + "skipped them, each lost the reading(s) in it, the readings around them are kept; the bytes are in {}",
                damage.size(), damage.stream().mapToLong(Journal.Damage::length).sum(), journal.setAsidePath());
    }

    private void dropExpired() {
        long oldestAllowed = clock.millis() - limits.maxAge().toMillis();
        while (!waiting.isEmpty() && waiting.peekFirst().entry().takenAtMillis() < oldestAllowed) {
            drop(waiting.peekFirst(), "it is older than scale.outbox.max-age=" + limits.maxAge());
        }
    }

    private void enqueue(Journal.Entry entry) {
        waiting.addLast(new Waiting(entry, ++lastNumber));
    }

    private void drop(Waiting dropping, String why) {
        Journal.Entry oldest = dropping.entry();
        waiting.pollFirst();
        long count = dropped.incrementAndGet();
        LOG.warn("Dropped the oldest kept reading (taken {}) because {}; {} dropped since start",
                Instant.ofEpochMilli(oldest.takenAtMillis()), why, count);
        advanceTo(oldest.end());
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
                renumbered.add(new Waiting(moved.get(index++), reading.number()));
            }
            waiting.clear();
            waiting.addAll(renumbered);
            delivered = journal.start();
            unsavedDeliveries = 0;
            compactAtDeadBytes = compactAtLeastBytes;
            compactions.incrementAndGet();
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
