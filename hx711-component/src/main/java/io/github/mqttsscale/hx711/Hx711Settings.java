package io.github.mqttsscale.hx711;

import java.time.Duration;

/**
 * How one HX711 is wired and read. Validated on construction so that a wrong option fails when the endpoint is
 * created, with a message naming the option, not at the first poll.
 *
 * @param dataPin         BCM number of the pin wired to DOUT
 * @param clockPin        BCM number of the pin wired to PD_SCK
 * @param gain            channel and gain to read
 * @param samples         good samples whose median makes one reading
 * @param rate            10 or 80: how the chip's RATE pin is wired (samples per second)
 * @param readyTimeout    longest wait for DOUT to signal a conversion
 * @param clockHighLimit  a clock-high phase this long may have powered the chip down (datasheet: 60 µs)
 * @param settlingTime    samples converted sooner than this after power-up or a gain change are discarded;
 *                        zero derives it from the rate
 */
public record Hx711Settings(int dataPin, int clockPin, Hx711Gain gain, int samples, int rate, Duration readyTimeout,
        Duration clockHighLimit, Duration settlingTime) {

    public static final int HIGHEST_BCM_PIN = 27;

    public Hx711Settings {
        requirePin("dataPin", dataPin);
        requirePin("clockPin", clockPin);
        if (dataPin == clockPin) {
            throw new IllegalArgumentException(
                    "Invalid dataPin/clockPin: both are BCM " + dataPin + ", DOUT and PD_SCK need two different pins");
        }
        if (gain == null) {
            throw new IllegalArgumentException("Invalid gain: allowed values are 128, 64 or 32");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("Invalid samples " + samples + ": must be 1 or more");
        }
        if (rate != 10 && rate != 80) {
            throw new IllegalArgumentException(
                    "Invalid rate " + rate + ": allowed values are 10 or 80 (samples per second, the RATE pin)");
        }
        requirePositive("readyTimeout", readyTimeout);
        requirePositive("clockHighLimit", clockHighLimit);
        if (settlingTime == null || settlingTime.isNegative()) {
            throw new IllegalArgumentException(
                    "Invalid settlingTime " + settlingTime + ": must be 0 (derive from rate) or more");
        }
    }

    /** Defaults: DOUT=BCM 5, PD_SCK=BCM 6, A128, median of 5, 10 SPS, 1 s ready timeout, 60 µs, derived settling. */
    public static Hx711Settings defaults() {
        return new Hx711Settings(5, 6, Hx711Gain.A128, 5, 10, Duration.ofSeconds(1), Duration.ofNanos(60_000),
                Duration.ZERO);
    }

    public Hx711Settings withPins(int newDataPin, int newClockPin) {
        return new Hx711Settings(newDataPin, newClockPin, gain, samples, rate, readyTimeout, clockHighLimit,
                settlingTime);
    }

    public Hx711Settings withGain(Hx711Gain newGain) {
        return new Hx711Settings(dataPin, clockPin, newGain, samples, rate, readyTimeout, clockHighLimit, settlingTime);
    }

    public Hx711Settings withSamples(int newSamples) {
        return new Hx711Settings(dataPin, clockPin, gain, newSamples, rate, readyTimeout, clockHighLimit, settlingTime);
    }

    public Hx711Settings withRate(int newRate) {
        return new Hx711Settings(dataPin, clockPin, gain, samples, newRate, readyTimeout, clockHighLimit, settlingTime);
    }

    public Hx711Settings withReadyTimeout(Duration newReadyTimeout) {
        return new Hx711Settings(dataPin, clockPin, gain, samples, rate, newReadyTimeout, clockHighLimit,
                settlingTime);
    }

    public Hx711Settings withClockHighLimit(Duration newClockHighLimit) {
        return new Hx711Settings(dataPin, clockPin, gain, samples, rate, readyTimeout, newClockHighLimit,
                settlingTime);
    }

    public Hx711Settings withSettlingTime(Duration newSettlingTime) {
        return new Hx711Settings(dataPin, clockPin, gain, samples, rate, readyTimeout, clockHighLimit,
                newSettlingTime);
    }

    /** The configured settling time, or the datasheet's for the rate: 400 ms at 10 SPS, 50 ms at 80 SPS. */
    public Duration effectiveSettlingTime() {
        return settlingTime.isZero() ? settlingTimeForRate(rate) : settlingTime;
    }

    static Duration settlingTimeForRate(int rate) {
        return rate == 80 ? Duration.ofMillis(50) : Duration.ofMillis(400);
    }

    static Duration conversionPeriod(int rate) {
        return Duration.ofNanos(1_000_000_000L / rate);
    }

    /** "DOUT=BCM 5 / PD_SCK=BCM 6": how every message names the chip, so that a wiring fault is easy to find. */
    public String describePins() {
        return "DOUT=BCM " + dataPin + " / PD_SCK=BCM " + clockPin;
    }

    private static void requirePin(String option, int pin) {
        if (pin < 0 || pin > HIGHEST_BCM_PIN) {
            throw new IllegalArgumentException(
                    "Invalid " + option + " " + pin + ": allowed values are BCM GPIO numbers 0.." + HIGHEST_BCM_PIN);
        }
    }

    private static void requirePositive(String option, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("Invalid " + option + " " + value + ": must be greater than 0");
        }
    }
}
