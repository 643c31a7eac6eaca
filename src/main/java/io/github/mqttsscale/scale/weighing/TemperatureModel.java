package io.github.mqttsscale.scale.weighing;

import java.time.Duration;

/**
 * How the load cell's zero moves with temperature: the weight reads {@code zeroDriftKgPerC × (T_cell − referenceC)}
 * too much, where T_cell follows the measured temperature through a first-order lag of time constant {@code lag}
 * (the cell and its mounting warm up later than the air the sensor measures).
 *
 * @param zeroDriftKgPerC how much the weight moves per °C of the cell (0: no compensation)
 * @param lag             the cell's temperature lag, a first-order time constant (0: the cell is at the measured
 *                        temperature)
 * @param referenceC      the temperature at which the weight needs no correction
 */
public record TemperatureModel(double zeroDriftKgPerC, Duration lag, double referenceC) {

    /** No compensation. */
    public static final TemperatureModel NONE = new TemperatureModel(0, Duration.ZERO, 20);

    public TemperatureModel {
        if (!Double.isFinite(zeroDriftKgPerC) || !Double.isFinite(referenceC) || lag == null || lag.isNegative()) {
            throw new IllegalArgumentException("temperature model needs a finite drift and reference and a lag of 0 "
                    + "or more, was " + zeroDriftKgPerC + " kg/°C, " + lag + ", " + referenceC + " °C");
        }
    }

    /** What the weight reads too much with the cell at this temperature. */
    public double correctionKg(double cellTemperatureC) {
        return zeroDriftKgPerC * (cellTemperatureC - referenceC);
    }

    public boolean compensates() {
        return zeroDriftKgPerC != 0;
    }
}
