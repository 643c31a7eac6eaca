package io.github.mqttsscale.hx711;

import java.util.function.Consumer;

/** A simulator wired to a driver, both at 80 SPS so that settling and sampling stay short in tests. */
final class SimulatedScale implements AutoCloseable {

    final Hx711Simulator simulator = new Hx711Simulator();
    final Hx711Wire wire;
    final Hx711Driver driver;

    /**
     * The simulator is configured before its first conversion, so no sample predates the configuration. The chip is
     * wired as the settings say: GPIO pins, or the simulator's SPI front end.
     */
    SimulatedScale(Hx711Settings settings, Consumer<Hx711Simulator> configure) {
        simulator.setRate(80);
        configure.accept(simulator);
        wire = settings.wiring().wire(simulator);
        driver = new Hx711Driver(wire, settings);
    }

    static Hx711Settings fastSettings(int samples) {
        return Hx711Settings.defaults().withRate(80).withSamples(samples);
    }

    /**
     * One good sample. A loaded test machine can pause the JVM for more than 60 µs while the clock is high; the driver
     * then rightly rejects the sample, which is not what these tests are about, so such a sample is taken again.
     */
    Hx711Sample sample() {
        for (int attempt = 1;; attempt++) {
            try {
                return driver.readSample();
            } catch (Hx711SampleRejectedException e) {
                if (e.reason() != Hx711RejectReason.TIMING || attempt == 50) {
                    throw e;
                }
            }
        }
    }

    /** The first sample the driver rejects for a reason other than a JVM pause over 60 µs. */
    Hx711SampleRejectedException rejectedSample() {
        for (int attempt = 1; attempt <= 50; attempt++) {
            try {
                driver.readSample();
            } catch (Hx711SampleRejectedException e) {
                if (e.reason() != Hx711RejectReason.TIMING) {
                    return e;
                }
            }
        }
        throw new AssertionError("no sample was rejected for anything but clock timing in 50 tries");
    }

    /**
     * One reading. If a reading fails only because JVM pauses tripped the 60 µs check on every try (a cold JIT or a
     * loaded machine), it is taken again: the rejections still count, and that check has tests of its own.
     */
    Hx711Reading read() {
        for (int attempt = 1;; attempt++) {
            long otherRejections = otherThanTiming();
            try {
                return driver.read();
            } catch (Hx711Exception e) {
                if (otherThanTiming() != otherRejections || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private long otherThanTiming() {
        Hx711Counters counters = driver.counters();
        return counters.rejectedTotal() - counters.rejected(Hx711RejectReason.TIMING) + counters.getTimeouts();
    }

    @Override
    public void close() {
        wire.close();
        simulator.close();
    }
}
