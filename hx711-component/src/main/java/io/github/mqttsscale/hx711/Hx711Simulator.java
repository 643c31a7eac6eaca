package io.github.mqttsscale.hx711;

/**
 * An HX711 with a load cell, simulated at the level of the two wires so that the driver under test cannot tell it
 * from a chip: GPIO pins on Pi4J's mock provider, or an SPI bus (wire it with {@link Hx711Wiring#wire}). The chip
 * converts at 10 or 80 per second, shifts its bits out on PD_SCK's edges, powers down when PD_SCK stays high over
 * 60 µs and settles after power-up or a gain change, as the datasheet says; the load cell gives what it converts.
 * The pins behave as Pi4J 2.8.0's gpiod plugin does on a Pi: once requested, a line stays requested until the
 * simulator closes, so asking for the same pins again fails.
 * <p>
 * Thread-safe: the load and the faults may change while a driver reads.
 */
public final class Hx711Simulator implements AutoCloseable {

    public static final int DEFAULT_OFFSET_COUNTS = 75353;
    public static final double DEFAULT_COUNTS_PER_KG = 12780;

    private final SimulatedLoadCell loadCell = new SimulatedLoadCell();
    private final SimulatedFaults faults = new SimulatedFaults();
    private final SimulatedChip chip;
    private final SimulatedGpio gpio;
    private final SimulatedSpi spi;

    public Hx711Simulator() {
        SimulatedGpio.compileEdgeCode();
        chip = new SimulatedChip(loadCell, faults);
        gpio = new SimulatedGpio(chip, faults);
        spi = new SimulatedSpi(chip, faults);
    }

    public double getLoadKg() {
        return loadCell.getLoadKg();
    }

    public void setLoadKg(double loadKg) {
        loadCell.setLoadKg(loadKg);
    }

    /** The counts of an empty scale at channel A gain 128 (default {@value #DEFAULT_OFFSET_COUNTS}). */
    public void setOffsetCounts(int offsetCounts) {
        loadCell.setOffsetCounts(offsetCounts);
    }

    /** Counts per kilogram at channel A gain 128 (default 12780). */
    public void setCountsPerKg(double countsPerKg) {
        loadCell.setCountsPerKg(countsPerKg);
    }

    /** Standard deviation of Gaussian noise added to each conversion, in counts. */
    public void setNoiseCounts(double noiseCounts) {
        loadCell.setNoiseCounts(noiseCounts);
    }

    /** Conversions per second, as the RATE pin would set: 10 or 80. */
    public void setRate(int rate) {
        chip.setRate(rate);
    }

    /**
     * <b>Benchmarks only, not what any HX711 does</b> (the chip converts 10 or 80 times a second): converts this many
     * times a second instead of at {@link #setRate the rate}, so that a benchmark can offer readings faster than the
     * chip could and find where the software falls behind. Everything else (settling time, power-down, the
     * two-wire protocol) stays as at the rate. 0, the default, converts at the rate.
     */
    public void setBenchmarkConversionsPerSecond(int conversionsPerSecond) {
        chip.setBenchmarkConversionsPerSecond(conversionsPerSecond);
    }

    public Hx711Fault getFault() {
        return faults.get();
    }

    public void setFault(Hx711Fault fault) {
        synchronized (chip) {
            faults.set(fault);
            chip.refreshDout();
        }
    }

    /**
     * Mock GPIO pins at these BCM addresses with the chip on the other end; the chip moves to them from the wire
     * before.
     *
     * @throws IllegalStateException "Device or resource busy" when a pin was requested before
     */
    Hx711Pins wire(int dataPinNumber, int clockPinNumber) {
        synchronized (chip) {
            requireOpen();
            return gpio.wire(dataPinNumber, clockPinNumber);
        }
    }

    /** The chip on an SPI bus; it moves there from the wire before. */
    Hx711SpiWire wireSpi(Hx711Wiring.Spi wiring) {
        synchronized (chip) {
            requireOpen();
            return spi.wire(wiring);
        }
    }

    private void requireOpen() {
        if (chip.isClosed()) {
            throw new IllegalStateException("simulator is closed");
        }
    }

    @Override
    public void close() {
        chip.close();
        synchronized (chip) {
            chip.disconnect();
            gpio.shutdown();
        }
    }

    /** Tests only: the chip's state and gain. */
    SimulatedChip chip() {
        return chip;
    }

    /** Tests only: what the chip counted, and pauses of its reader. */
    SimulatedChipProbe probe() {
        return chip.probe();
    }

    /** Tests only: forced output and expected counts. */
    SimulatedLoadCell loadCell() {
        return loadCell;
    }

    /** Tests only: how often spikes come. */
    SimulatedFaults faults() {
        return faults;
    }
}
