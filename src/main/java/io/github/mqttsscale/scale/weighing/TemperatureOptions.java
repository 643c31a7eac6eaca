package io.github.mqttsscale.scale.weighing;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Temperature compensation: a temperature sensor next to the load cell, and how the cell's zero moves with its
 * temperature (a {@link TemperatureModel}; the MQTT command learn-temperature finds one, which then replaces these
 * values in the calibration file).
 *
 * @param source          none; ds18b20 (a 1-Wire DS18B20 through the Linux w1-therm driver, dtoverlay=w1-gpio); or
 *                        simulated (the simulated load cell's surroundings)
 * @param ds18b20         which DS18B20, and where the kernel shows it
 * @param readInterval    time between temperature readings
 * @param zeroDriftKgPerC how much the weight moves per °C of the cell's temperature (until learn-temperature finds it)
 * @param lag             the cell's temperature follows the measured one with this first-order time constant
 * @param referenceC      the temperature at which the weight needs no correction (the one at calibration)
 */
// @formatter:off
public record TemperatureOptions(
        @NotNull @DefaultValue("none") Source source,
        @Valid @NotNull @DefaultValue Ds18b20 ds18b20,
        @NotNull @DurationMin(millis = 100, message = "must be 100ms or more: how often the sensor is read, e.g. 10s "
                + "(a DS18B20 takes 750 ms to answer)")
        @DefaultValue("10s") Duration readInterval,
        @DefaultValue("0") double zeroDriftKgPerC,
        @NotNull @DurationMin(seconds = 0, message = "must be 0s or more: the cell's temperature lags the measured one")
        @DefaultValue("0s") Duration lag,
        @DefaultValue("20") double referenceC) {
    // @formatter:on

    public enum Source {
        NONE,
        DS18B20,
        SIMULATED
    }

    /** The temperature model these settings give, until one is learned. */
    public TemperatureModel model() {
        return new TemperatureModel(zeroDriftKgPerC, lag, referenceC);
    }

    /**
     * A DS18B20 on the 1-Wire bus.
     *
     * @param device     its id (28-...), when there are several on the bus; default: the only one there is
     * @param devicesDir where the w1 driver shows the 1-Wire devices
     */
    // @formatter:off
    public record Ds18b20(
            String device,
            @NotNull @DefaultValue("/sys/bus/w1/devices") Path devicesDir) {
        // @formatter:on
    }
}
