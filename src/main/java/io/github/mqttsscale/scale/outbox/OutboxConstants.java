package io.github.mqttsscale.scale.outbox;

import org.apache.camel.spi.Metadata;

import io.github.mqttsscale.scale.weighing.ScaleHeaders;

/**
 * Headers the {@code outbox:} endpoint reads when it keeps a reading (besides the HX711's
 * {@code CamelHx711Timestamp}, when it was taken) and sets on each kept reading it hands out.
 */
public final class OutboxConstants {

    @Metadata(
            description = "The kept reading's number in the outbox: set on every exchange from the outbox, so that the"
                    + " publishing route does not keep it a second time (it stays where it is, first in line).",
            javaType = "Long")
    public static final String KEPT_READING = "CamelOutboxKeptReading";
    @Metadata(description = "The topic a reading is published on: required to keep it, kept with it, and set again when"
            + " it is handed out (routes/scale.camel.yaml, step weight-topic).", javaType = "String")
    public static final String TOPIC = ScaleHeaders.TOPIC;
    @Metadata(description = "The how-many-th try of this kept reading (1 the first): set on every exchange from the"
            + " outbox, so that a refusal that may pass is set aside after RefusedReadings.MAX_ATTEMPTS tries.",
            javaType = "Integer")
    public static final String ATTEMPT = "CamelOutboxAttempt";
    /**
     * An exchange property, true once {@code outbox:refused} set the exchange's reading aside: a reading from the
     * outbox is then taken out of its line, as the broker will not take it.
     */
    public static final String SET_ASIDE = "CamelOutboxSetAside";
    /** The name of the {@code outbox:} endpoint that sets a refused reading aside ({@link RefusedReadings}). */
    public static final String REFUSED = "refused";

    private OutboxConstants() {
    }
}
