package io.github.mqttsscale.hx711;

import java.util.function.LongSupplier;

/**
 * What tests outside this package may ask of a simulator beyond what an application does with it. Shipped in the
 * component's test jar only ({@code camel-hx711}, type {@code test-jar}), so that no application can depend on it.
 */
public final class Hx711SimulatorTesting {

    private Hx711SimulatorTesting() {
    }

    /** The count a settled, noiseless conversion at this gain gives now. */
    public static int expectedCounts(Hx711Simulator simulator, Hx711Gain gain) {
        return simulator.loadCell().expectedCounts(gain);
    }

    /** While the fault is SPIKES, every this many reads shifts out a value far off (default 10). */
    public static void setSpikeEvery(Hx711Simulator simulator, int reads) {
        simulator.faults().setSpikeEvery(reads);
    }

    /**
     * Runs the load cell's temperature, creep and ambient cycle on this clock (nanoseconds, as {@link System#nanoTime}
     * counts) instead of the real one, so that a test can jump through hours at once. Set before the other settings:
     * the new clock's now is then t = 0 of the ambient cycle. The chip's conversions keep real time.
     */
    public static void setNanoTime(Hx711Simulator simulator, LongSupplier nanoTime) {
        simulator.loadCell().setNanoTime(nanoTime);
    }

    /** What the load cell says it carries now, in kg, before the chip converts it: load, drifts and non-linearity. */
    public static double readKg(Hx711Simulator simulator) {
        return simulator.loadCell().readKg();
    }
}
