package io.github.mqttsscale.hx711;

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
}
