package io.github.mqttsscale.scale.outbox;

/** A reading that could not be published when it was taken, as it will be published later. */
public record KeptReading(long takenAtMillis, String topic, int qos, byte[] payload) {
}
