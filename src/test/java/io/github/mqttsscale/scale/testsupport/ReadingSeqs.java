package io.github.mqttsscale.scale.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

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

    private static long seq(MqttTestSubscriber.Received message) {
        try {
            return JSON.readTree(message.payload()).get("seq").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
