package io.github.mqttsscale.hx711;

/**
 * The two lines of one HX711, DOUT and PD_SCK, however they are driven: bit-banged GPIO pins ({@link Hx711Pins}) or
 * an SPI bus whose hardware makes the clock ({@link Hx711SpiWire}). The driver decides what to clock and when; a
 * wire only moves the bits and says how long PD_SCK was high.
 */
public interface Hx711Wire extends AutoCloseable {

    /** DOUT low: the chip has a conversion ready to be shifted out. */
    boolean isDataReady();

    /**
     * How many checks for data ready since the last call saw DOUT both high and low within one check, which a chip's
     * DOUT does only at the moment it signals, and a floating one all the time; resets the count. A wire that reads
     * DOUT once per check returns 0.
     */
    default int takeNoisyReadyChecks() {
        return 0;
    }

    /**
     * Clocks {@code pulses} PD_SCK pulses (25 to 27) and returns the 24 bits shifted out with the first 24. Stops at
     * the first pulse whose clock-high phase may have reached {@code clockHighLimitNanos}; the chip may then have
     * powered down, and the caller must make that certain.
     *
     * @param histogram where each clock-high phase is recorded, or null
     */
    Hx711ClockedBits clockOut(int pulses, long clockHighLimitNanos, Hx711ClockHighHistogram histogram);

    /**
     * Runs the code of {@link #clockOut} without a single clock edge, so that a JVM compiles it before the chip's
     * 60 µs matter. Returns the longest clock-high phase it would have made, in ns. A wire whose clock is made by
     * hardware returns 0 at once.
     */
    long rehearseClockOut(int pulses);

    /** PD_SCK high, which powers the chip down after 60 µs and keeps it down. */
    void clockHigh();

    /** PD_SCK low, which wakes a powered-down chip (reset to channel A, gain 128). */
    void clockLow();

    /** Describes the wiring in messages, e.g. "DOUT=BCM 5 (pin 29) / PD_SCK=BCM 6 (pin 31)". */
    String describe();

    /** Where DOUT must be wired, e.g. "BCM 5", for the message of a chip that never signals data ready. */
    String dataLine();

    @Override
    void close();
}
