package io.github.mqttsscale.hx711;

/** Load-model settings whose expected counts are round numbers, easy to check by eye. */
final class SimulatedScaleLoads {

    private SimulatedScaleLoads() {
    }

    /** 2 kg: 120000 counts at A128, 60000 at A64, 30000 at B32. */
    static void twoKgRoundNumbers(Hx711Simulator simulator) {
        simulator.setOffsetCounts(100000);
        simulator.setCountsPerKg(10000);
        simulator.setLoadKg(2);
    }
}
