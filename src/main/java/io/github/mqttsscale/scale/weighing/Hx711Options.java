package io.github.mqttsscale.scale.weighing;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.github.mqttsscale.hx711.Hx711Combine;
import io.github.mqttsscale.hx711.Hx711Gain;
import io.github.mqttsscale.hx711.Hx711Settings;
import io.github.mqttsscale.hx711.Hx711Wiring;

/**
 * Wiring and sampling of the HX711 ({@code scale.hx711.*}, or {@code scale.scales[i].hx711.*}): on two GPIO pins (BCM
 * numbers), or with PD_SCK on an SPI bus's MOSI and DOUT on its MISO, where the clock is made by hardware and no
 * sample is lost to a busy machine. The scale's {@code hx711:<device-id>} endpoint reads its chip with these; the
 * component says what the chip accepts ({@link ReadableChip}).
 *
 * @param wiring   gpio: DOUT and PD_SCK on data-pin and clock-pin; spi: PD_SCK on MOSI, DOUT on MISO of spi-bus, the
 *                 clock made by the SPI hardware
 * @param dataPin  BCM pin wired to DOUT (wiring gpio)
 * @param clockPin BCM pin wired to PD_SCK (wiring gpio)
 * @param spiBus   SPI bus, /dev/spidev<bus>.0 (wiring spi)
 * @param gain     128 or 64 (channel A), 32 (channel B)
 * @param samples  good samples per reading
 * @param combine  how they make the reading: median (the middle sample, a wild one cannot move it) or trimmed-mean
 *                 (the mean after dropping the highest and lowest 20 %, steadier on noise)
 * @param rate     10 or 80: samples per second the HX711's RATE pin is wired for
 * @param tooSlowAfter with wiring gpio: when more samples were rejected for clock timing than clocked in time over this long,
 *                 the scale says this machine is too slow for the gpio wiring and how to move to spi (problem
 *                 too-slow-for-gpio)
 */
@ReadableChip
// @formatter:off
public record Hx711Options(
        @NotNull @DefaultValue("gpio") Wiring wiring,
        @DefaultValue("5") int dataPin,
        @DefaultValue("6") int clockPin,
        @DefaultValue("0") int spiBus,
        @DefaultValue("128") int gain,
        @DefaultValue("5") int samples,
        @NotNull @DefaultValue("median") Hx711Combine combine,
        @DefaultValue("10") int rate,
        @NotNull @DurationMin(seconds = 1, message = "must be 1s or longer, e.g. 1m: how long most samples must be"
                + " rejected for clock timing before the scale calls this machine too slow for the gpio wiring")
        @DefaultValue("1m") Duration tooSlowAfter) {
    // @formatter:on

    /** How the HX711's PD_SCK and DOUT reach the Pi. */
    public enum Wiring {
        /** Two GPIO pins; the clock is made by this program and timed, pulse by pulse. */
        GPIO,
        /** PD_SCK on MOSI, DOUT on MISO of an SPI bus; the clock is made by the SPI hardware. */
        SPI
    }

    /** The driver's settings for this wiring: what the scale's hx711 endpoint and the sub-commands read the chip with. */
    public Hx711Settings driverSettings() {
        Hx711Wiring pins = wiring == Wiring.SPI
                ? new Hx711Wiring.Spi(spiBus, 0, Hx711Wiring.Spi.DEFAULT_SPEED_HZ)
                : new Hx711Wiring.Gpio(dataPin, clockPin);
        return Hx711Settings.defaults().withWiring(pins).withGain(Hx711Gain.of(gain)).withSamples(samples)
                .withCombine(combine).withRate(rate);
    }

    /** The pins, or the bus, this chip takes: no other scale's chip may use them. */
    String describePins() {
        return wiring == Wiring.SPI ? "SPI bus " + spiBus : "BCM " + dataPin + ", BCM " + clockPin;
    }
}
