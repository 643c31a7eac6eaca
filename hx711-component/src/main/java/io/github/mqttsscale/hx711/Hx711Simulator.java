package io.github.mqttsscale.hx711;

import java.time.Duration;

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
    /** The cell's temperature at which its temperature drift is 0 (see {@link #setZeroDriftKgPerC}). */
    public static final double REFERENCE_TEMPERATURE_C = 20;
    public static final double DEFAULT_AMBIENT_MEAN_C = REFERENCE_TEMPERATURE_C;
    public static final Duration DEFAULT_AMBIENT_PERIOD = Duration.ofDays(1);
    public static final double DEFAULT_FULL_SCALE_KG = 10;

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

    /**
     * The mean temperature of the air around the cell, in °C (default {@value #DEFAULT_AMBIENT_MEAN_C}: with the
     * reference temperature, no drift on average). The air's temperature is {@code mean + amplitude × sin(2π t /
     * period)}, t counted from when the simulator was made.
     */
    public void setAmbientMeanC(double meanC) {
        loadCell.setAmbientMeanC(meanC);
    }

    /** How far the air's temperature swings either side of its mean, in °C (default 0: constant). */
    public void setAmbientAmplitudeC(double amplitudeC) {
        loadCell.setAmbientAmplitudeC(amplitudeC);
    }

    /**
     * The period of the air's temperature cycle (default one day).
     *
     * @throws IllegalArgumentException unless longer than 0
     */
    public void setAmbientPeriod(Duration period) {
        loadCell.setAmbientPeriod(period);
    }

    /**
     * The time constant with which the cell's temperature follows the air's, a first-order lag: the cell and its
     * mounting take time to warm up (default 0: the cell is at the air's temperature).
     *
     * @throws IllegalArgumentException if negative
     */
    public void setCellLag(Duration lag) {
        loadCell.setCellLag(lag);
    }

    /**
     * How far the zero moves with the cell's temperature: the weight reads {@code kgPerC × (T_cell − 20 °C)} too
     * much, 20 °C being {@link #REFERENCE_TEMPERATURE_C} (default 0).
     */
    public void setZeroDriftKgPerC(double kgPerC) {
        loadCell.setZeroDriftKgPerC(kgPerC);
    }

    /** Creep, a steady drift of the zero: the weight reads this many kg more with every hour from now (default 0). */
    public void setCreepKgPerHour(double kgPerHour) {
        loadCell.setCreepKgPerHour(kgPerHour);
    }

    /**
     * The cell's non-linearity: how far it reads off at half its {@link #setFullScaleKg full scale}, as a fraction
     * of full scale, on a parabola through zero and full scale (default 0). Positive reads too much: with 0.01 at
     * 10 kg, 5 kg gives the counts of 5.1 kg, 0 and 10 kg read true.
     */
    public void setNonlinearity(double nonlinearity) {
        loadCell.setNonlinearity(nonlinearity);
    }

    /**
     * The load at which the non-linear cell reads true again (default {@value #DEFAULT_FULL_SCALE_KG}).
     *
     * @throws IllegalArgumentException unless above 0
     */
    public void setFullScaleKg(double fullScaleKg) {
        loadCell.setFullScaleKg(fullScaleKg);
    }

    /**
     * Puts the cell's temperature where it would be had the air always cycled as it does now, so that it starts
     * without a transient: call it after setting the temperature cycle and the lag. Otherwise the cell starts at
     * the default mean and follows each change through its lag, as a real one would.
     */
    public void settleCellTemperature() {
        loadCell.settleCellTemperature();
    }

    /** The air's temperature next to the cell now, in °C: what a sensor beside the cell (a DS18B20) reads. */
    public double getAmbientTemperatureC() {
        return loadCell.getAmbientTemperatureC();
    }

    /** The cell's own temperature now, in °C, which drives its zero drift; no sensor sees it. */
    public double getCellTemperatureC() {
        return loadCell.getCellTemperatureC();
    }

    /**
     * Conversions per second, 10 or 80: the RATE pin as wired, whatever rate the driver reading it is told, so that a
     * board wired for another rate than its settings say can be tried (the driver measures it and says so).
     */
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
