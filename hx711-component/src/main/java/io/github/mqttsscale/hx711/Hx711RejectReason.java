package io.github.mqttsscale.hx711;

/** Why a sample was thrown away instead of being used. */
public enum Hx711RejectReason {
    /** A clock-high phase reached the limit (the chip may have powered down) or the read took too long. */
    TIMING("clock timing"),
    /** 0x7FFFFF or 0x800000: the input is out of range, or a wire is loose. */
    SATURATED("saturated"),
    /**
     * No longer given: 0xFFFFFF is −1, a count like any other (a floating DOUT is {@link #NOISE} on SPI, and never
     * ready on pulled-up GPIO). Kept so that the counters' keys stay.
     */
    ALL_ONES("all ones"),
    /** DOUT stayed low after the 25th pulse, which must pull it high: stuck low or shorted to GND. */
    STUCK_LOW("DOUT stuck low"),
    /** On SPI, the two reads of a DOUT bit disagree: DOUT floats and the Pi reads random bits. */
    NOISE("random bits on DOUT");

    private final String label;

    Hx711RejectReason(String label) {
        this.label = label;
    }

    /** How people read the reason: "clock timing". */
    public String label() {
        return label;
    }

    /** How meters and JSON name the reason: "all_ones". */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
