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
    /** DOUT stuck low: always "ready", and the 25th pulse does not pull it high. */
    STUCK_LOW,
    /** Every conversion shifts out 0xFFFFFF, what a floating DOUT gives. */
    ALL_ONES,
    /**
     * The fourth read after each power-up has one clock-high phase held over 60 µs, as a scheduler pause would, so
     * the chip powers down mid-read and comes back reset to channel A gain 128 (and then again four reads later).
     */
    STRETCHED_CLOCK
}
