package io.github.mqttsscale.hx711;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The simulated load cell and its bridge: what the HX711's input sees, as the counts a settled conversion gives at
 * channel A gain 128, scaled by the gain converted with. Offset, sensitivity and Gaussian noise today; whatever
 * else makes a load cell read off (temperature, creep, non-linearity) belongs here too, since the chip only
 * converts what this says.
 * <p>
 * Set from any thread, read by the chip's conversion thread.
 */
final class SimulatedLoadCell {

    private static final int MAX_COUNTS = 0x7FFFFF;
    private static final int MIN_COUNTS = -0x800000;

    private volatile double loadKg;
    private volatile int offsetCounts = Hx711Simulator.DEFAULT_OFFSET_COUNTS;
    private volatile double countsPerKg = Hx711Simulator.DEFAULT_COUNTS_PER_KG;
    private volatile double noiseCounts;
    private volatile Integer outputCounts;

    double getLoadKg() {
        return loadKg;
    }

    void setLoadKg(double loadKg) {
        this.loadKg = loadKg;
    }

    void setOffsetCounts(int offsetCounts) {
        this.offsetCounts = offsetCounts;
    }

    void setCountsPerKg(double countsPerKg) {
        this.countsPerKg = countsPerKg;
    }

    /** Standard deviation of Gaussian noise added to each conversion, in counts. */
    void setNoiseCounts(double noiseCounts) {
        this.noiseCounts = noiseCounts;
    }

    /**
     * Tests only: forces what settled conversions put in the 24-bit output register, whatever the gain; only the low
     * 24 bits count, so -5 and 0xFFFFFB are the same. Null returns to the load model.
     */
    void setOutputCounts(Integer outputCounts) {
        this.outputCounts = outputCounts;
    }

    /** What one conversion at this gain gives now: the forced output, or the load with its noise. */
    int conversion(Hx711Gain gain) {
        Integer forced = outputCounts;
        return forced != null ? Hx711Driver.decode(forced & 0xFFFFFF) : modelCounts(gain, noiseCounts);
    }

    /** Tests only: the count a settled, noiseless conversion at this gain gives now (the forced output if one is set). */
    int expectedCounts(Hx711Gain gain) {
        Integer forced = outputCounts;
        return forced != null ? Hx711Driver.decode(forced & 0xFFFFFF) : modelCounts(gain, 0);
    }

    private int modelCounts(Hx711Gain gain, double noise) {
        double channelA128 = offsetCounts + loadKg * countsPerKg;
        double counts = channelA128 * gain.gain() / 128.0;
        if (noise > 0) {
            counts += ThreadLocalRandom.current().nextGaussian() * noise;
        }
        return (int) Math.max(MIN_COUNTS, Math.min(MAX_COUNTS, Math.round(counts)));
    }
}
