package io.github.mqttsscale.hx711;

import org.apache.camel.spi.Metadata;

/**
 * Headers of every exchange the hx711 consumer sends; the body is the reading as a whole count (Integer): the good
 * samples combined by the endpoint's {@code combine} option, rounded.
 */
public final class Hx711Constants {

    @Metadata(description = "When the reading completed.", javaType = "java.time.Instant")
    public static final String TIMESTAMP = "CamelHx711Timestamp";
    @Metadata(description = "System.nanoTime() at which data-ready (DOUT low) was seen for the last sample used,"
            + " for latency measurements.", javaType = "long")
    public static final String DATA_READY = "CamelHx711DataReady";
    @Metadata(description = "The gain of the reading: 128, 64 or 32.", javaType = "Integer")
    public static final String GAIN = "CamelHx711Gain";
    @Metadata(description = "The input channel of the reading: A or B.", javaType = "String")
    public static final String CHANNEL = "CamelHx711Channel";
    @Metadata(description = "The reading with its fraction of a count (a trimmed mean, or the median of an even number"
            + " of samples, falls between two counts).", javaType = "Double")
    public static final String COUNTS = "CamelHx711Counts";
    @Metadata(description = "The lowest good sample of the reading.", javaType = "Integer")
    public static final String LOWEST_SAMPLE = "CamelHx711LowestSample";
    @Metadata(description = "The highest good sample of the reading: with the lowest, how far the samples spread.",
            javaType = "Integer")
    public static final String HIGHEST_SAMPLE = "CamelHx711HighestSample";
    @Metadata(description = "How many good samples were combined.", javaType = "Integer")
    public static final String SAMPLES_USED = "CamelHx711SamplesUsed";
    @Metadata(description = "How many samples were rejected while making the reading.", javaType = "Integer")
    public static final String SAMPLES_REJECTED = "CamelHx711SamplesRejected";

    private Hx711Constants() {
    }
}
