package io.github.mqttsscale.scale.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Collects the {@code seq} of the weight readings a test subscriber receives, in the order they arrive. */
public final class ReadingSeqs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReadingSeqs() {
    }

    /** Adds the seq of the next {@code count} readings to {@code into}. */
    public static void collect(MqttTestSubscriber subscriber, List<Long> into, int count, Duration timeout) {
        for (MqttTestSubscriber.Received message : subscriber.await(count, timeout)) {
            into.add(seq(message));
        }
    }

    /** Adds the seq of the readings that arrive until the last one added is {@code seq} or later. */
    public static void collectUntil(MqttTestSubscriber subscriber, List<Long> into, long seq, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (into.isEmpty() || into.get(into.size() - 1) < seq) {
            collect(subscriber, into, 1, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
    }

    /**
     * Adds the seq of arriving readings to {@code arrived} until it holds every seq from 1 to {@code last}, in any
     * order (readings set aside and sent again arrive late), and fails saying which are missing when that takes longer
     * than {@code timeout}.
     */
    public static void collectEvery(MqttTestSubscriber subscriber, Set<Long> arrived, long last, Duration timeout) {
        List<Long> every = LongStream.rangeClosed(1, last).boxed().toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!arrived.containsAll(every) && System.nanoTime() < deadline) {
            try {
                arrived.add(seq(subscriber.awaitOne(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))));
            } catch (AssertionError nothingMore) {
                break; // the assertion below names the seqs that are missing
            }
        }
        assertThat(arrived).as("every seq from 1 to " + last).containsAll(every);
    }

    public static long seq(MqttTestSubscriber.Received message) {
        try {
            return JSON.readTree(message.payload()).get("seq").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
