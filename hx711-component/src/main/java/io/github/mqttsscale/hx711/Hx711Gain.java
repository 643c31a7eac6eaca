package io.github.mqttsscale.hx711;

/**
 * The three input/gain combinations of the HX711. The chip learns the one for its NEXT conversion from the number
 * of clock pulses after the 24 data bits.
 */
public enum Hx711Gain {
    A128(128, "A", 1),
    B32(32, "B", 2),
    A64(64, "A", 3);

    private final int gain;
    private final String channel;
    private final int extraPulses;

    Hx711Gain(int gain, String channel, int extraPulses) {
        this.gain = gain;
        this.channel = channel;
        this.extraPulses = extraPulses;
    }

    public int gain() {
        return gain;
    }

    public String channel() {
        return channel;
    }

    /** Pulses after the 24th that select this gain for the next conversion. */
    public int extraPulses() {
        return extraPulses;
    }

    /**
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Hx711Gain of(int gain) {
        for (Hx711Gain g : values()) {
            if (g.gain == gain) {
                return g;
            }
        }
        throw new Hx711InvalidOptionException("gain",
                "Invalid gain " + gain + ": allowed values are 128 (channel A), 64 (channel A) or 32 (channel B)");
    }

    /** The gain a chip selects after a read of 24 + extra pulses; null when the count is not one the chip defines. */
    static Hx711Gain afterExtraPulses(int extra) {
        for (Hx711Gain g : values()) {
            if (g.extraPulses == extra) {
                return g;
            }
        }
        return null;
    }
}
