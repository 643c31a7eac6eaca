package io.github.mqttsscale.hx711;

/** Faults the simulator can reproduce, each one a way a real HX711 setup fails. */
public enum Hx711Fault {
    NONE,
    /** Some conversions are far off (what scheduler pauses and interference look like). See spikeEvery. */
    SPIKES,
    /** DOUT stuck high: the chip never signals data ready. */
    UNPLUGGED,
    /**
     * The DOUT wire is broken between chip and Pi: with the pull-up the component requests, the pin reads high (never
     * ready); without one it floats and reads random bits.
     */
    FLOATING_DOUT,
    /**
     * The DOUT wire is broken and, on SPI, MISO has no pull-up (config.txt's gpio=9=pu missing, or not kept, as on a
     * Pi 5): the Pi reads random bits on MISO. On GPIO the component's pull-up holds it high (never ready).
     */
    FLOATING_MISO,
    /** DOUT stuck low: always "ready", and the 25th pulse does not pull it high. */
    STUCK_LOW,
    /** Every conversion shifts out 0xFFFFFF, which is −1 counts: a real value the driver passes on. */
    ALL_ONES,
    /**
     * The fourth read after each power-up has one clock-high phase held over 60 µs, as a scheduler pause would, so
     * the chip powers down mid-read and comes back reset to channel A gain 128 (and then again four reads later).
     */
    STRETCHED_CLOCK,
    /**
     * A machine too slow for the GPIO wiring (a busy Pi Zero 2 W or Pi 3, or emulation): every clock-high phase that
     * the Pi makes on its GPIO pin lasts 80 µs, over the chip's 60 µs, so every sample is lost. A clock made by the
     * SPI hardware is not stretched: on the SPI wiring the chip reads as without the fault.
     */
    SLOW_CLOCK
}
