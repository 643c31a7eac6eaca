package io.github.mqttsscale.hx711;

/**
 * What one clock-out gave.
 *
 * @param raw            the 24 bits shifted out, MSB first (meaningless unless {@code timing} is {@link Timing#OK})
 * @param timing         whether every clock-high phase was surely under the limit
 * @param pulse          the pulse (1-based) whose clock-high phase was not, or 0
 * @param highNanos      that phase's longest possible duration, or the longest phase of the read
 * @param doutHighAfter  whether DOUT was high right after the last pulse, as the 25th pulse makes it
 * @param noisy          whether a bit read twice gave two values, which a chip never shifts out: DOUT floats
 */
public record Hx711ClockedBits(int raw, Timing timing, int pulse, long highNanos, boolean doutHighAfter,
        boolean noisy) {

    /** A clock-out whose bits were read once each. */
    public Hx711ClockedBits(int raw, Timing timing, int pulse, long highNanos, boolean doutHighAfter) {
        this(raw, timing, pulse, highNanos, doutHighAfter, false);
    }

    /** How sure it is that no clock-high phase reached the limit. */
    public enum Timing {
        /** Every phase ended before the limit, measured from before the rising edge to after the falling one. */
        OK,
        /** A phase may have reached the limit: the time around the edges does not tell. */
        UNCERTAIN,
        /** A phase surely reached the limit, even counting only the time between the two edges. */
        TOO_LONG
    }
}
