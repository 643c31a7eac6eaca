package io.github.mqttsscale.scale.temperature;

import java.util.function.DoubleSupplier;

/** The thermometer beside the simulated load cell: the air's temperature that the simulator's cycle makes. */
public final class SimulatedThermometer implements TemperatureSensor {

    private final DoubleSupplier ambientC;

    /** @param ambientC the simulator's air temperature now (Hx711Simulator#getAmbientTemperatureC) */
    public SimulatedThermometer(DoubleSupplier ambientC) {
        this.ambientC = ambientC;
    }

    @Override
    public double readC() {
        return ambientC.getAsDouble();
    }

    @Override
    public String describe() {
        return "the simulator's thermometer";
    }
}
