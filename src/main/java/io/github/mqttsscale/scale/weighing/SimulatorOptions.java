package io.github.mqttsscale.scale.weighing;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.github.mqttsscale.hx711.Hx711Simulator;

/**
 * The simulated load cell used when there is no HX711 ({@code scale.simulator.*}, or
 * {@code scale.scales[i].simulator.*}): its load and noise, and what makes a real cell read off over months (the air's
 * temperature and the cell's lag behind it, zero drift with temperature, creep, non-linearity), each off by default.
 * {@code benchmarkConversionsPerSecond} is for benchmarks only (docs/performance.md): the simulated chip converts that
 * often instead of at {@code scale.hx711.rate}, which no HX711 can; 0 (the default) keeps the datasheet's rate.
 *
 * @param loadKg                        load on the simulated scale at start
 * @param noiseCounts                   standard deviation of the simulated noise, in counts
 * @param benchmarkConversionsPerSecond benchmarks only: the simulator converts this often instead of at
 *                                      scale.hx711.rate (0: at the rate)
 * @param temperature                   the air around the simulated cell, what scale.temperature.source simulated
 *                                      reads
 * @param cellLag                       the simulated cell's temperature follows the air's with this first-order time
 *                                      constant (0s: the cell is at the air's temperature)
 * @param zeroDriftKgPerC               the simulated weight reads this many kg too much per °C the cell is above 20 °C
 *                                      (too little below)
 * @param creepKgPerHour                creep: the simulated zero drifts this many kg per hour
 * @param nonlinearity                  how far the simulated cell reads off at half of full-scale-kg, as a fraction
 *                                      of full scale (0.01: 1 %), on a parabola through zero and full scale
 * @param fullScaleKg                   the simulated cell's full scale: with nonlinearity, it reads true at zero and
 *                                      at this load
 * @param actualRate                    10 or 80: the simulated board's RATE pin as wired, whatever scale.hx711.rate
 *                                      tells the driver (0: as scale.hx711.rate), to try a board wired otherwise
 */
// @formatter:off
public record SimulatorOptions(@DefaultValue("2.5") double loadKg, @DefaultValue("0") double noiseCounts,
        @Min(0) @DefaultValue("0") int benchmarkConversionsPerSecond,
        @Valid @NotNull @DefaultValue Temperature temperature,
        @NotNull @DurationMin(nanos = 0, message = "must be 0s or longer, e.g. 5m") @DefaultValue("0s")
        Duration cellLag,
        @DefaultValue("0") double zeroDriftKgPerC,
        @DefaultValue("0") double creepKgPerHour,
        @DecimalMin(value = "-0.25", inclusive = false,
                message = "must be between -0.25 and 0.25, e.g. 0.01 for 1 % (beyond, the cell would read less for "
                        + "more load)")
        @DecimalMax(value = "0.25", inclusive = false,
                message = "must be between -0.25 and 0.25, e.g. 0.01 for 1 % (beyond, the cell would read less for "
                        + "more load)")
        @DefaultValue("0") double nonlinearity,
        @DecimalMin(value = "0", inclusive = false, message = "must be above 0: the cell's rating, e.g. 10")
        @DefaultValue("10") double fullScaleKg,
        @DefaultValue("0") int actualRate) {
    // @formatter:on

    public SimulatorOptions {
        if (actualRate != 0 && actualRate != 10 && actualRate != 80) {
            throw new IllegalArgumentException("scale.simulator.actual-rate " + actualRate + " is not a rate the HX711"
                    + " has: use 10 or 80 (samples per second, the RATE pin as wired), or 0 for scale.hx711.rate");
        }
    }

    /**
     * The temperature of the air around the simulated cell: {@code meanC + amplitudeC × sin(2π t / period)}, t from
     * the start.
     *
     * @param meanC      the simulated air's mean temperature, in °C (20: the cell's zero drift averages out)
     * @param amplitudeC how far the simulated air's temperature swings either side of mean-c, in °C: mean-c +
     *                   amplitude-c × sin(2π t / period)
     * @param period     the period of the simulated air's temperature cycle
     */
    // @formatter:off
    public record Temperature(
            @DefaultValue("20") double meanC,
            @DecimalMin(value = "0", message = "must be 0 or more, e.g. 8: the swing either side of mean-c")
            @DefaultValue("0") double amplitudeC,
            @NotNull @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0, e.g. 1d or 60s")
            @DefaultValue("1d") Duration period) {
        // @formatter:on
    }

    /**
     * A simulated HX711 with this load cell, converting at the rate its chip is wired for (actual-rate, else the rate
     * the driver is told); the cell's temperature
     * starts where the air's cycle would have brought it, as if it had always been there.
     */
    public Hx711Simulator newSimulator(Hx711Options chip) {
        Hx711Simulator simulator = new Hx711Simulator();
        simulator.setRate(actualRate != 0 ? actualRate : chip.rate());
        simulator.setLoadKg(loadKg);
        simulator.setNoiseCounts(noiseCounts);
        simulator.setBenchmarkConversionsPerSecond(benchmarkConversionsPerSecond);
        simulator.setAmbientMeanC(temperature.meanC());
        simulator.setAmbientAmplitudeC(temperature.amplitudeC());
        simulator.setAmbientPeriod(temperature.period());
        simulator.setCellLag(cellLag);
        simulator.settleCellTemperature();
        simulator.setZeroDriftKgPerC(zeroDriftKgPerC);
        simulator.setCreepKgPerHour(creepKgPerHour);
        simulator.setFullScaleKg(fullScaleKg);
        simulator.setNonlinearity(nonlinearity);
        return simulator;
    }
}
