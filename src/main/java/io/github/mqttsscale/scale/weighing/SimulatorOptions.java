package io.github.mqttsscale.scale.weighing;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.bind.DefaultValue;

import io.github.mqttsscale.hx711.Hx711Simulator;

/**
 * The simulated load cell used when there is no HX711 ({@code scale.simulator.*}, or
 * {@code scale.scales[i].simulator.*}). {@code benchmarkConversionsPerSecond} is for benchmarks only
 * (docs/performance.md): the simulated chip converts that often instead of at {@code scale.hx711.rate}, which no HX711
 * can; 0 (the default) keeps the datasheet's rate.
 *
 * @param loadKg                        load on the simulated scale at start
 * @param noiseCounts                   standard deviation of the simulated noise, in counts
 * @param benchmarkConversionsPerSecond benchmarks only: the simulator converts this often instead of at
 *                                      scale.hx711.rate (0: at the rate)
 */
// @formatter:off
public record SimulatorOptions(@DefaultValue("2.5") double loadKg, @DefaultValue("0") double noiseCounts,
        @Min(0) @DefaultValue("0") int benchmarkConversionsPerSecond) {
    // @formatter:on

    /** A simulated HX711 with this load and noise, converting at the rate its chip is wired for. */
    public Hx711Simulator newSimulator(Hx711Options chip) {
        Hx711Simulator simulator = new Hx711Simulator();
        simulator.setRate(chip.rate());
        simulator.setLoadKg(loadKg);
        simulator.setNoiseCounts(noiseCounts);
        simulator.setBenchmarkConversionsPerSecond(benchmarkConversionsPerSecond);
        return simulator;
    }
}
