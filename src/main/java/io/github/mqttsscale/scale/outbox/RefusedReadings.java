package io.github.mqttsscale.scale.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedResource;

import io.github.mqttsscale.hx711.Hx711Constants;
import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.PrivateDirectory;

/**
 * The outbox's dead letters, as Camel's dead letter channel sets aside what cannot be delivered: readings the broker
 * refuses for good (not authorized, topic name or payload not accepted, packet too large), or refuses again and again
 * for a reason that could pass (quota, server busy) until {@value #MAX_ATTEMPTS} tries, spaced out, are spent. They are
 * kept in {@code <data-dir>/outbox/refused/}, so that the readings behind them go on at once, instead of waiting for
 * days behind a reading that will never be taken. They stay there until {@code resend-refused} puts them back in line,
 * in order, once the cause is fixed (the broker's ACL, the topic in the routes). Counted per reason; each reason and
 * topic logged once.
 */
@ManagedResource(objectName = RefusedReadings.OBJECT_NAME,
        description = "Readings the broker refused, set aside so that the readings behind them go on")
public class RefusedReadings implements AutoCloseable {

    public static final String OBJECT_NAME = "io.github.mqttsscale:type=RefusedReadings";
    /** Tries of a reading refused for a reason that may pass, 1, 2, 4, 8 and 16 s apart, before it is set aside. */
    public static final int MAX_ATTEMPTS = 6;
    /**
     * MQTT 5 reason codes that retrying will not change: not authorized (0x87), topic name invalid (0x90), packet too
     * large (0x95), payload format invalid (0x99). Any other refusal (0x80 unspecified, 0x83 implementation specific,
     * 0x91 packet identifier in use, 0x97 quota exceeded) is tried again, up to {@link #MAX_ATTEMPTS}.
     */
    static final Set<Integer> FOR_GOOD = Set.of(0x87, 0x90, 0x95, 0x99);

    private static final Logger LOG = LoggerFactory.getLogger(RefusedReadings.class);

    private final Path folder;
    private final Disk disk;
    private final Outbox outbox;
    private final int maxReadings;
    private OutboxStore store;
    private final Map<String, Long> byReason = new LinkedHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    /** Per topic, the readings set aside and not resent (also before this start), and the last reason. */
    private final Map<String, SetAside> byTopic = new LinkedHashMap<>();
    private String lastReason;
    private String lastTopic;
    private long dropped;

    /**
     * @param outbox      where {@link #resendRefused()} puts them back
     * @param maxReadings at most so many are kept aside (scale.outbox.max-readings): beyond it the oldest is dropped,
     *                    counted
     */
    public RefusedReadings(Path dataDir, Disk disk, Outbox outbox, int maxReadings) {
        this.folder = dataDir.resolve("outbox").resolve("refused");
        this.disk = disk;
        this.outbox = outbox;
        this.maxReadings = maxReadings;
        open();
    }

    private void open() {
        try {
            store = new OutboxStore(PrivateDirectory.create(folder, disk), disk, OutboxStore.COMPACT_AT_LEAST_BYTES,
                    takenAtMillis -> 0);
            store.recover();
            if (!store.isEmpty()) {
                LOG.warn("{} readings the broker refused before are set aside in {}: once the cause is fixed, "
                        + "{\"command\":\"resend-refused\"} sends them again", store.size(), folder);
                countPerTopic(store);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot open {} ({}): a reading the broker refuses stays first in the outbox and is tried again "
                    + "until it can be set aside there", folder, e.getMessage());
            store = null;
        }
    }

    /** The readings set aside before this start remain their scales' problem until resent. */
    private void countPerTopic(OutboxStore found) throws IOException {
        Map<String, SetAside> before = new LinkedHashMap<>();
        for (OutboxStore.Waiting reading : found.waiting()) {
            String topic = found.read(reading).topic();
            if (topic != null) {
                before.merge(topic, new SetAside(1, "refused before the last start"), SetAside::and);
            }
        }
        before.forEach((topic, setAside) -> byTopic.merge(topic, setAside, SetAside::and));
    }

    /**
     * Whether the broker's refusal in this exchange is for good: its reason will not change by retrying, or it was
     * the last of {@link #MAX_ATTEMPTS} tries of a reading from the outbox. A live reading refused for a reason that
     * may pass is kept in the outbox, and tried again from there.
     */
    public boolean isForGood(Exchange exchange) {
        Integer code = reasonCode(refusal(exchange));
        if (code == null) {
            return false;
        }
        Integer attempt = exchange.getMessage().getHeader(OutboxConstants.ATTEMPT, Integer.class);
        return FOR_GOOD.contains(code) || attempt != null && attempt >= MAX_ATTEMPTS;
    }

    /**
     * Sets the exchange's reading aside, forced to disk, and marks the exchange {@link OutboxConstants#SET_ASIDE}, so
     * that a reading from the outbox is taken out of its line.
     *
     * @throws IOException when it cannot be written (then a reading from the outbox stays first in line)
     */
    public void setAside(Exchange exchange) throws IOException {
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        String topic = exchange.getMessage().getHeader(OutboxConstants.TOPIC, String.class);
        Instant takenAt = exchange.getMessage().getHeader(Hx711Constants.TIMESTAMP, Instant.class);
        Throwable refusal = refusal(exchange);
        String reason = refusal == null ? "refused" : refusal.getMessage();
        String key = reasonKey(refusal);
        synchronized (this) {
            if (store == null) {
                open();
                if (store == null) {
                    throw new IOException("cannot set a refused reading aside in " + folder);
                }
            }
            while (store.size() >= maxReadings) {
                store.removeFirst();
                dropped++;
                LOG.warn("Dropped the oldest reading set aside as refused: more than scale.outbox.max-readings={} "
                        + "are set aside; {} dropped since start", maxReadings, dropped);
            }
            store.append(new KeptReading(takenAt == null ? System.currentTimeMillis() : takenAt.toEpochMilli(), topic,
                    1, payload));
            byReason.merge(key, 1L, Long::sum);
            if (topic != null) {
                byTopic.merge(topic, new SetAside(1, key), SetAside::and);
            }
            lastReason = reason;
            lastTopic = topic;
        }
        exchange.setProperty(OutboxConstants.SET_ASIDE, true);
        if (logged.add(key + " " + topic)) {
            LOG.warn("Set aside a reading for {} that the broker refused ({}); the readings behind it go on. Once the "
                    + "cause is fixed, {\"command\":\"resend-refused\"} (or resendRefused in Hawtio) sends the "
                    + "readings set aside again. More for this reason and topic are counted in health (outbox, "
                    + "refused), not logged", topic, key);
        }
    }

    /** A kept reading that could not be read back (a disk error), after its tries: counted with the refused ones. */
    public synchronized void countUnreadable(String why) {
        byReason.merge("unreadable", 1L, Long::sum);
        lastReason = "a kept reading could not be read back from the outbox: " + why;
        lastTopic = null;
    }

    /**
     * Puts every reading set aside back into the outbox, in the order they were set aside, behind those waiting there:
     * sent once the broker takes them (and set aside again if it still refuses them).
     *
     * @return what was done, for the command's answer
     */
    String resendInto(Outbox outbox) {
        int resent = 0;
        synchronized (this) {
            if (store == null) {
                return "nothing is set aside (" + folder + " cannot be opened)";
            }
            while (!store.isEmpty()) {
                KeptReading reading;
                try {
                    reading = store.read(store.first());
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + folder + ": " + e.getMessage(), e);
                }
                outbox.keep(reading.payload(), Instant.ofEpochMilli(reading.takenAtMillis()), null, reading.topic());
                store.removeFirst();
                resent++;
            }
            logged.clear();
            byTopic.clear();
        }
        if (resent > 0) {
            LOG.info("Put {} readings set aside as refused back in the outbox: they go out, in order, once the broker "
                    + "takes them", resent);
        }
        return resent == 0
                ? "no readings are set aside"
                : resent + " readings set aside as refused are in the outbox again, sent in order once the broker "
                        + "takes them";
    }

    @ManagedOperation(description = "Sends the readings the broker refused again, in order, once the cause is fixed "
            + "(the broker's ACL, the topic)")
    public String resendRefused() {
        return resendInto(outbox);
    }

    /** Readings set aside now. */
    @ManagedAttribute(description = "Readings set aside now, waiting for resend-refused")
    public synchronized int getWaiting() {
        return store == null ? 0 : store.size();
    }

    /**
     * How many wait, the count per reason since start, the last reason with its topic, and how to send them again;
     * empty while none was set aside (health's {@code outbox.refused}, the status page).
     */
    public synchronized Map<String, Object> summary() {
        if (getWaiting() == 0 && byReason.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("waiting", getWaiting());
        summary.put("byReason", getByReason());
        last().ifPresent(last -> summary.put("last", last));
        summary.put("resend", "{\"command\":\"resend-refused\"} once the cause is fixed");
        return summary;
    }

    /**
     * A problem of the scale whose topics these are (Home Assistant's problem sensor, health's sensor details, the
     * status page) while readings on them are set aside and not resent, also those set aside before this start: how
     * many, why, and what to do.
     */
    public synchronized Optional<String> problemOf(Predicate<String> topicOfTheScale) {
        List<String> topics = byTopic.keySet().stream().filter(topicOfTheScale).toList();
        if (topics.isEmpty()) {
            return Optional.empty();
        }
        long readings = topics.stream().mapToLong(topic -> byTopic.get(topic).readings()).sum();
        String reasons = topics.stream().map(topic -> topic + " (" + byTopic.get(topic).lastReason() + ")")
                .collect(Collectors.joining(", "));
        return Optional.of(readings + " reading(s) the broker refused for good were set aside, on " + reasons
                + ": fix the cause (the broker's permissions for the topic, the topic itself) and send"
                + " {\"command\":\"resend-refused\"} (or resendRefused in Hawtio)");
    }

    private record SetAside(long readings, String lastReason) {
        SetAside and(SetAside later) {
            return new SetAside(readings + later.readings, later.lastReason);
        }
    }

    /** Readings set aside since start, per reason ("0x87 not authorized", ..., "unreadable"). */
    @ManagedAttribute(description = "Readings set aside since start, per reason")
    public synchronized Map<String, Long> getByReason() {
        return new LinkedHashMap<>(byReason);
    }

    /** The last reason a reading was set aside, with its topic; empty while none was since start. */
    public synchronized Optional<String> last() {
        return Optional.ofNullable(lastReason).map(reason -> lastTopic == null ? reason : lastTopic + ": " + reason);
    }

    @ManagedAttribute(description = "The last reason a reading was set aside, and its topic")
    public String getLast() {
        return last().orElse("");
    }

    /** Readings set aside that were dropped since start, as more than max-readings were set aside. */
    @ManagedAttribute(description = "Readings set aside and dropped since start (more than max-readings)")
    public synchronized long getDropped() {
        return dropped;
    }

    @Override
    public synchronized void close() throws IOException {
        if (store != null) {
            store.close();
        }
    }

    private static Throwable refusal(Exchange exchange) {
        Throwable caught = exchange.getException() != null
                ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof MqttException) {
                return cause;
            }
        }
        return caught;
    }

    /** The MQTT 5 reason code of a refusal by the broker (or of a packet over its size limit), else null. */
    private static Integer reasonCode(Throwable refusal) {
        if (refusal instanceof MqttException mqtt
                && (mqtt.getReasonCode() >= 0x80 && mqtt.getReasonCode() <= 0xA2)) {
            return mqtt.getReasonCode();
        }
        return null;
    }

    /** E.g. "0x87 not authorized": the reason code, which the README's table explains, and its name. */
    private static String reasonKey(Throwable refusal) {
        Integer code = reasonCode(refusal);
        if (code == null) {
            return "other";
        }
        String name = switch (code) {
            case 0x80 -> "unspecified error";
            case 0x83 -> "implementation specific error";
            case 0x87 -> "not authorized";
            case 0x90 -> "topic name invalid";
            case 0x91 -> "packet identifier in use";
            case 0x95 -> "packet too large";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            default -> "refused";
        };
        return String.format(Locale.ROOT, "0x%02X %s", code, name);
    }
}
