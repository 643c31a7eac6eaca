package io.github.mqttsscale.scale.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.mqttsscale.hx711.Hx711Constants;
import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.PrivateDirectory;
import io.github.mqttsscale.scale.storage.StorageProblem;

/**
 * Readings that could not be published when they were taken, kept on disk ({@link OutboxStore}) until the broker has
 * acknowledged them, and sent in the order they were taken. While anything waits here, newer readings queue behind
 * it, so subscribers see {@code seq} in order. Nothing is written while the broker takes every reading at once: the
 * SD card is only used during an outage. The outbox is bounded: when full, or when a reading is older than
 * {@code max-age}, the oldest is dropped. Its counts are published by {@link OutboxMetrics}; the routes reach it
 * through the {@code outbox:} endpoint ({@link OutboxEndpoint}).
 */
public class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** Null when the data directory could not be written at start: then readings are published live only. */
    private OutboxStore store;
    private final Path dataDir;
    private final OutboxProperties limits;
    private final int qos;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Disk disk;
    private final long compactAtLeastBytes;
    private long lastOpenAttemptNanos;
    /** How often an outbox that could not be opened is tried again. */
    static final Duration REOPEN_EVERY = Duration.ofMinutes(1);
    private final BooleanSupplier brokerConnected;
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    /** Damage found at a start that then could not open the outbox. */
    private long damagedAtStart;
    private volatile StorageProblem problem;

    /**
     * The oldest kept reading as handed to the sender, with its number in this run of the outbox (+1 per kept reading):
     * {@link #delivered(long)} takes out this reading and no other, even when it was dropped in the meantime.
     */
    public record Next(long number, KeptReading reading) {
    }

    public Outbox(Path dataDir, OutboxProperties limits, int qos, BooleanSupplier brokerConnected, Clock clock) {
        this(dataDir, limits, qos, brokerConnected, clock, Disk.REAL);
    }

    /** Time passes as {@code clock} says (tests, and a clock that never steps). */
    public Outbox(Path dataDir, OutboxProperties limits, int qos, BooleanSupplier brokerConnected, Clock clock,
            Disk disk) {
        this(dataDir, limits, qos, brokerConnected, clock, () -> clock.millis() * 1_000_000, disk,
                OutboxStore.COMPACT_AT_LEAST_BYTES);
    }

    /**
     * @param clock    the wall clock, which readings are stamped with
     * @param nanoTime a monotonic clock (System::nanoTime), which a kept reading's wait is measured with: a clock step
     *                 of weeks (a Pi without a clock battery booted with an old time, then set by NTP) drops nothing
     */
    public Outbox(Path dataDir, OutboxProperties limits, int qos, BooleanSupplier brokerConnected, Clock clock,
            LongSupplier nanoTime, Disk disk) {
        this(dataDir, limits, qos, brokerConnected, clock, nanoTime, disk, OutboxStore.COMPACT_AT_LEAST_BYTES);
    }

    /** With a smaller {@link OutboxStore#COMPACT_AT_LEAST_BYTES}, so that a test's few readings get compacted. */
    Outbox(Path dataDir, OutboxProperties limits, int qos, BooleanSupplier brokerConnected, Clock clock, Disk disk,
            long compactAtLeastBytes) {
        this(dataDir, limits, qos, brokerConnected, clock, () -> clock.millis() * 1_000_000, disk,
                compactAtLeastBytes);
    }

    private Outbox(Path dataDir, OutboxProperties limits, int qos, BooleanSupplier brokerConnected, Clock clock,
            LongSupplier nanoTime, Disk disk, long compactAtLeastBytes) {
        this.brokerConnected = brokerConnected;
        this.limits = limits;
        this.qos = qos;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.dataDir = dataDir;
        this.disk = disk;
        this.compactAtLeastBytes = compactAtLeastBytes;
        open();
        if (store != null && !store.isEmpty()) {
            LOG.info(
                    "{} readings kept from before are waiting in the outbox; they go out, oldest first, once the broker takes them",
                    store.size());
        }
    }

    private void open() {
        lastOpenAttemptNanos = nanoTime.getAsLong();
        try {
            store = new OutboxStore(PrivateDirectory.create(dataDir.resolve("outbox"), disk), disk,
                    compactAtLeastBytes, this::waitingSince);
            store.recover();
        } catch (IOException | UncheckedIOException e) {
            withoutOutbox(e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(
                    "Cannot open the outbox in " + dataDir.resolve("outbox") + ": " + e.getMessage()
                            + " (move the folder aside to start with an empty outbox)",
                    e);
        }
    }

    /**
     * Without an outbox (the data directory was full or read-only), tries to open it again once a minute: a card
     * that was full after a power cut, or remounted writable, gets its outbox back without a restart.
     */
    private void reopenWhenDue() {
        if (store == null && nanoTime.getAsLong() - lastOpenAttemptNanos >= REOPEN_EVERY.toNanos()) {
            open();
            if (store != null) {
                problem = null;
                LOG.info("The outbox in {} is open again: readings are kept while the broker is away",
                        dataDir.resolve("outbox"));
            }
        }
    }

    /**
     * A data directory that cannot be written (read-only, full) must not stop the scale, which systemd would then
     * restart every few seconds, publishing nothing: it publishes live, and says what that costs. Readings kept
     * before stay in the journal for a start that can write it.
     */
    private void withoutOutbox(Exception failure) {
        if (store != null) {
            damagedAtStart = store.damaged();
            try {
                store.abandon();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        store = null;
        if (problem != null && problem.state().equals(StorageProblem.of(dataDir, failure, "").state())) {
            return; // tried again, and the same: said once
        }
        problem = StorageProblem.of(dataDir, failure, "readings are published live only, and none are kept while the "
                + "broker is away, until it can be written (tried again every minute)");
        LOG.error("Cannot open the outbox in {} ({}): {}", dataDir.resolve("outbox"), failure.getMessage(),
                problem.text());
    }

    /**
     * True when a new reading must queue here: older ones are still waiting, or the broker is away. A reading from the
     * outbox itself ({@code keptReading} set) never waits: it is the oldest.
     */
    public synchronized boolean mustWait(@Header(OutboxConstants.KEPT_READING) Long keptReading) {
        return keptReading == null && (waiting() > 0 || !brokerConnected.getAsBoolean());
    }

    /**
     * Keeps a reading, durably, before the route moves on: what the {@code outbox:} endpoint does as a producer (and a
     * {@code bean} step calling this method, as routes files from before that endpoint do). A reading from the outbox
     * ({@code keptReading} set) is kept already: it stays where it is, first in line.
     *
     * @param takenAt when the reading was taken; now when unknown
     * @param topic   where it goes once the broker takes it: required
     */
    public void keep(@Body byte[] payload, @Header(Hx711Constants.TIMESTAMP) Instant takenAt,
            @Header(OutboxConstants.KEPT_READING) Long keptReading, @Header(OutboxConstants.TOPIC) String topic) {
        if (keptReading != null) {
            return;
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException(
                    "The reading has no header " + OutboxConstants.TOPIC + ": the route must say where it "
                            + "goes before it is published or kept (routes/scale.camel.yaml, step weight-topic)");
        }
        long takenAtMillis = (takenAt != null ? takenAt : clock.instant()).toEpochMilli();
        synchronized (this) {
            reopenWhenDue();
        }
        if (store == null) {
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
            while (store.size() >= limits.maxReadings()) {
                drop("it is full (scale.outbox.max-readings=" + limits.maxReadings() + ")");
            }
            try {
                store.append(new KeptReading(takenAtMillis, topic, qos, payload));
                problem = null;
            } catch (IOException e) {
                problem = StorageProblem.of(dataDir, e,
                        "readings taken while the broker is away are lost until one can be kept");
                lost.incrementAndGet();
                throw new UncheckedIOException("Cannot keep a reading in " + store.path() + ": " + e.getMessage(), e);
            }
            kept.incrementAndGet();
            notifyAll();
        }
    }

    /** The oldest kept reading, without taking it out: it leaves only once {@link #delivered} says so. */
    public synchronized Optional<Next> oldest() {
        if (store == null) {
            return Optional.empty();
        }
        dropExpired();
        OutboxStore.Waiting first = store.first();
        if (first == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Next(first.number(), store.read(first)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the outbox " + store.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The broker acknowledged the reading numbered {@code number} ({@link Next#number()}). Nothing is taken out when
     * that reading is no longer waiting: it was dropped while it was being sent (outbox full or too old), and the
     * next one was not sent.
     */
    public synchronized void delivered(long number) {
        OutboxStore.Waiting first = store == null ? null : store.first();
        if (first == null || first.number() != number) {
            return;
        }
        store.removeFirst();
        sent.incrementAndGet();
    }

    /**
     * The reading numbered {@code number} was set aside as refused ({@link RefusedReadings}): out of the line, not
     * counted as sent.
     */
    public synchronized void setAside(long number) {
        OutboxStore.Waiting first = store == null ? null : store.first();
        if (first != null && first.number() == number) {
            store.removeFirst();
        }
    }

    /**
     * The oldest reading cannot be read back, after its tries: taken out, its bytes set aside in {@code damaged} for a
     * post-mortem, counted as damaged.
     */
    public synchronized void setAsideUnreadable() {
        if (store != null && !store.isEmpty()) {
            store.setAsideFirst();
        }
    }

    /**
     * Why the last reading could not be kept, until one is again (full or read-only data directory), or why there is
     * no outbox at all.
     */
    public Optional<StorageProblem> problem() {
        return Optional.ofNullable(problem);
    }

    /** A state file found damaged at the start, and what was done instead (health shows it). */
    public Optional<String> repaired() {
        OutboxStore opened = store;
        return opened == null ? Optional.empty() : opened.repaired();
    }

    /** Waits up to {@code timeout} for something to be kept, so the sender sleeps while there is nothing to send. */
    public synchronized void awaitReadings(Duration timeout) throws InterruptedException {
        if (waiting() == 0) {
            wait(Math.max(1, timeout.toMillis()));
        }
    }

    /** Readings waiting to be sent. */
    public synchronized int getWaiting() {
        return waiting();
    }

    /** Readings kept since start. */
    public long getKept() {
        return kept.get();
    }

    /** Kept readings the broker acknowledged since start. */
    public long getSent() {
        return sent.get();
    }

    /** Kept readings dropped since start (full, too old). */
    public long getDropped() {
        return dropped.get();
    }

    /** Readings neither published nor kept since start. */
    public long getLost() {
        return lost.get();
    }

    /** Times the journal was compacted since start. */
    public long getCompactions() {
        OutboxStore opened = store;
        return opened == null ? 0 : opened.compactions();
    }

    /** Damaged stretches of the journal skipped since start. */
    public long getDamaged() {
        OutboxStore opened = store;
        return opened == null ? damagedAtStart : opened.damaged();
    }

    @Override
    public synchronized void close() throws IOException {
        if (store != null) {
            store.close();
        }
    }

    private int waiting() {
        return store == null ? 0 : store.size();
    }

    private void dropExpired() {
        long now = nanoTime.getAsLong();
        long maxAgeNanos = limits.maxAge().toNanos();
        while (!store.isEmpty() && now - store.first().waitingSinceNanos() > maxAgeNanos) {
            drop("it waited longer than scale.outbox.max-age=" + limits.maxAge());
        }
    }

    /**
     * When a reading taken at this wall-clock time began to wait, on the monotonic clock: now, less the time since it
     * was taken as the wall clock says (a reading from before a restart, whose wait the monotonic clock did not see).
     * A reading stamped in the future (the clock was stepped back since) has waited nothing.
     */
    private long waitingSince(long takenAtMillis) {
        long waitedMillis = Math.min(Math.max(0, clock.millis() - takenAtMillis), limits.maxAge().toMillis() + 1);
        return nanoTime.getAsLong() - waitedMillis * 1_000_000;
    }

    private void drop(String why) {
        long takenAtMillis = store.first().entry().takenAtMillis();
        long count = dropped.incrementAndGet();
        LOG.warn("Dropped the oldest kept reading (taken {}) because {}; {} dropped since start",
                Instant.ofEpochMilli(takenAtMillis), why, count);
        store.removeFirst();
    }
}
