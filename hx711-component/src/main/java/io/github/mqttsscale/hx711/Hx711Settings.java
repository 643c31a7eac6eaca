package io.github.mqttsscale.hx711;

import java.time.Duration;

/**
 * How one HX711 is wired and read. Validated on construction so that a wrong option fails when the endpoint is
 * created, with a message naming the option and its allowed values, not at the first poll: this record (with
 * {@link Hx711Wiring} for the pins and {@link Hx711Gain#of}, {@link Hx711Combine#of} for the option values) is the
 * one place that knows what the chip accepts, so an application that configures the chip its own way reports the
 * {@link Hx711InvalidOptionException}'s message and option instead of checking again.
 *
 * @param wiring          which pins reach DOUT and PD_SCK: two GPIO pins or an SPI bus
 * @param gain            channel and gain to read
 * @param samples         good samples combined into one reading, 1 to {@value #MAX_SAMPLES}
 * @param combine         how they are combined: their median or their trimmed mean
 * @param rate            10 or 80: how the chip's RATE pin is wired (samples per second)
 * @param readyTimeout    longest wait for DOUT to signal a conversion
 * @param clockHighLimit  a sample with a clock-high phase this long is discarded: at most
 *                        {@link #MAX_CLOCK_HIGH_LIMIT} (the datasheet's longest PD_SCK high time; past 60 µs the chip
 *                        powers down)
 * @param settlingTime    samples converted sooner than this after power-up or a gain change are discarded;
 *                        zero derives it from the rate
 */
public record Hx711Settings(Hx711Wiring wiring, Hx711Gain gain, int samples, Hx711Combine combine, int rate,
        Duration readyTimeout,
        Duration clockHighLimit, Duration settlingTime) {

    /** Most good samples one reading combines: at 10 SPS a reading of 99 takes ten seconds. */
    public static final int MAX_SAMPLES = 99;
    /**
     * The datasheet's longest PD_SCK high time (T3 max): a sample clocked with a longer phase is outside what the chip
     * promises, and past 60 µs it powers down, so a higher limit would accept samples clocked after a power-down.
     */
    public static final Duration MAX_CLOCK_HIGH_LIMIT = Duration.ofNanos(50_000);

    public Hx711Settings {
        if (wiring == null) {
            throw new Hx711InvalidOptionException("wiring", "Invalid wiring: allowed values are gpio or spi");
        }
        if (gain == null) {
            throw new Hx711InvalidOptionException("gain", "Invalid gain: allowed values are 128, 64 or 32");
        }
        if (combine == null) {
            throw new Hx711InvalidOptionException("combine",
                    "Invalid combine: allowed values are median or trimmed-mean");
        }
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new Hx711InvalidOptionException("samples",
                    "Invalid samples " + samples + ": allowed values are 1.." + MAX_SAMPLES);
        }
        requireRate(rate);
        requirePositive("readyTimeout", readyTimeout);
        requireClockHighLimit(clockHighLimit);
        if (settlingTime == null || settlingTime.isNegative()) {
            throw new Hx711InvalidOptionException("settlingTime",
                    "Invalid settlingTime " + settlingTime + ": must be 0 (derive from rate) or more");
        }
    }

    /** Defaults: DOUT=BCM 5, PD_SCK=BCM 6, A128, median of 5, 10 SPS, 1 s ready timeout, 50 µs, derived settling. */
    public static Hx711Settings defaults() {
        return new Hx711Settings(Hx711Wiring.Gpio.defaults(), Hx711Gain.A128, 5, Hx711Combine.MEDIAN, 10,
                Duration.ofSeconds(1), MAX_CLOCK_HIGH_LIMIT, Duration.ZERO);
    }

    public Hx711Settings withWiring(Hx711Wiring newWiring) {
        return new Hx711Settings(newWiring, gain, samples, combine, rate, readyTimeout, clockHighLimit,
                settlingTime);
    }

    public Hx711Settings withGain(Hx711Gain newGain) {
        return new Hx711Settings(wiring, newGain, samples, combine, rate, readyTimeout, clockHighLimit, settlingTime);
    }

    public Hx711Settings withSamples(int newSamples) {
        return new Hx711Settings(wiring, gain, newSamples, combine, rate, readyTimeout, clockHighLimit, settlingTime);
    }

    public Hx711Settings withCombine(Hx711Combine newCombine) {
        return new Hx711Settings(wiring, gain, samples, newCombine, rate, readyTimeout, clockHighLimit, settlingTime);
    }

    public Hx711Settings withRate(int newRate) {
        return new Hx711Settings(wiring, gain, samples, combine, newRate, readyTimeout, clockHighLimit, settlingTime);
    }

    public Hx711Settings withReadyTimeout(Duration newReadyTimeout) {
        return new Hx711Settings(wiring, gain, samples, combine, rate, newReadyTimeout, clockHighLimit,
                settlingTime);
    }

    public Hx711Settings withClockHighLimit(Duration newClockHighLimit) {
        return new Hx711Settings(wiring, gain, samples, combine, rate, readyTimeout, newClockHighLimit,
                settlingTime);
    }

    public Hx711Settings withSettlingTime(Duration newSettlingTime) {
        return new Hx711Settings(wiring, gain, samples, combine, rate, readyTimeout, clockHighLimit,
                newSettlingTime);
    }

    /** As a person reads it: "DOUT=BCM 5 (pin 29) / PD_SCK=BCM 6 (pin 31), gain 128, median of 5, 10 samples/s". */
    public String describe() {
        return wiring.describe() + ", gain " + gain.gain() + ", " + combine.optionValue() + " of " + samples + ", "
                + rate
                + " samples/s";
    }

    /** The configured settling time, or the datasheet's for the rate: 400 ms at 10 SPS, 50 ms at 80 SPS. */
    public Duration effectiveSettlingTime() {
        return settlingTime.isZero() ? settlingTimeForRate(rate) : settlingTime;
    }

    static Duration settlingTimeForRate(int rate) {
        return rate == 80 ? Duration.ofMillis(50) : Duration.ofMillis(400);
    }

    /** @throws IllegalArgumentException naming the option and the allowed values */
    static void requireRate(int rate) {
        if (rate != 10 && rate != 80) {
            throw new Hx711InvalidOptionException("rate",
                    "Invalid rate " + rate + ": allowed values are 10 or 80 (samples per second, the RATE pin)");
        }
    }

    static Duration conversionPeriod(int rate) {
        return Duration.ofNanos(1_000_000_000L / rate);
    }

    private static void requireClockHighLimit(Duration limit) {
        requirePositive("clockHighLimit", limit);
        if (limit.compareTo(MAX_CLOCK_HIGH_LIMIT) > 0) {
            throw new Hx711InvalidOptionException("clockHighLimit", "Invalid clockHighLimit "
                    + limit.toNanos() / 1000.0 + " µs: allowed values are up to "
                    + MAX_CLOCK_HIGH_LIMIT.toNanos() / 1000
                    + " µs, the HX711's longest PD_SCK high time (past 60 µs it powers down and the bits clocked after"
                    + " are garbage). Leave it out for " + MAX_CLOCK_HIGH_LIMIT.toNanos() / 1000 + " µs; if samples are"
                    + " rejected for clock timing, make the Pi less busy or use wiring=spi, whose clock no pause"
                    + " stretches");
        }
    }

    private static void requirePositive(String option, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new Hx711InvalidOptionException(option,
                    "Invalid " + option + " " + value + ": must be greater than 0");
        }
    }
}
