package io.github.mqttsscale.hx711;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The simulated load cell and its bridge: what the HX711's input sees, as the counts a settled conversion gives at
 * channel A gain 128, scaled by the gain converted with. Offset, sensitivity, Gaussian noise, and what makes a real
 * cell read off over months: its temperature, creep and non-linearity (the chip only converts what this says).
 * <p>
 * The weight the cell gives is {@code load + nonlinearity + zeroDrift × (T_cell − 20 °C) + creep}. The air around
 * the cell cycles as {@code mean + amplitude × sin(2π t / period)}; the cell follows it through a first-order lag.
 * Both are advanced to now whenever the model is asked, with the exact solution of the lag for a sine input over the
 * time since it was last asked, so the cell's temperature is the same however often conversions come (10 or 80 a
 * second, a paused chip, a test that jumps an hour). A change of a setting applies from then on: the cell's
 * temperature, the phase of the cycle and the creep so far carry over.
 * <p>
 * Set from any thread, read by the chip's conversion thread: the load and calibration values are volatile, the
 * time-dependent state is guarded by {@code timeLock}.
 */
final class SimulatedLoadCell {

    private static final int MAX_COUNTS = 0x7FFFFF;
    private static final int MIN_COUNTS = -0x800000;
    private static final double TWO_PI = 2 * Math.PI;
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double SECONDS_PER_HOUR = 3600;

    private volatile double loadKg;
    private volatile int offsetCounts = Hx711Simulator.DEFAULT_OFFSET_COUNTS;
    private volatile double countsPerKg = Hx711Simulator.DEFAULT_COUNTS_PER_KG;
    private volatile double noiseCounts;
    private volatile Integer outputCounts;
    private volatile double nonlinearity;
    private volatile double fullScaleKg = Hx711Simulator.DEFAULT_FULL_SCALE_KG;

    private final Object timeLock = new Object();
    // guarded by timeLock: the settings of the time-dependent effects and where they stand at lastNanos
    private LongSupplier nanoTime = System::nanoTime;
    private long lastNanos = nanoTime.getAsLong();
    private double ambientMeanC = Hx711Simulator.DEFAULT_AMBIENT_MEAN_C;
    private double ambientAmplitudeC;
    private double ambientPeriodSeconds = seconds(Hx711Simulator.DEFAULT_AMBIENT_PERIOD);
    private double cellLagSeconds;
    private double zeroDriftKgPerC;
    private double creepKgPerHour;
    /** Where the ambient cycle stands, in radians [0, 2π): 0 at the mean, rising. */
    private double phase;
    private double cellC = Hx711Simulator.DEFAULT_AMBIENT_MEAN_C;
    private double creepKg;

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

    void setNonlinearity(double nonlinearity) {
        this.nonlinearity = finite("nonlinearity", nonlinearity);
    }

    void setFullScaleKg(double fullScaleKg) {
        if (!(fullScaleKg > 0) || Double.isInfinite(fullScaleKg)) {
            throw new IllegalArgumentException("full scale must be a finite weight above 0 kg, was " + fullScaleKg);
        }
        this.fullScaleKg = fullScaleKg;
    }

    void setAmbientMeanC(double meanC) {
        finite("ambient mean temperature", meanC);
        synchronized (timeLock) {
            advance();
            ambientMeanC = meanC;
        }
    }

    void setAmbientAmplitudeC(double amplitudeC) {
        finite("ambient temperature amplitude", amplitudeC);
        synchronized (timeLock) {
            advance();
            ambientAmplitudeC = amplitudeC;
        }
    }

    void setAmbientPeriod(Duration period) {
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the ambient temperature's period must be longer than 0, was " + period);
        }
        synchronized (timeLock) {
            advance();
            ambientPeriodSeconds = seconds(period);
        }
    }

    void setCellLag(Duration lag) {
        if (lag == null || lag.isNegative()) {
            throw new IllegalArgumentException("the cell's temperature lag must be 0 or longer, was " + lag);
        }
        synchronized (timeLock) {
            advance();
            cellLagSeconds = seconds(lag);
        }
    }

    void setZeroDriftKgPerC(double kgPerC) {
        finite("zero drift per °C", kgPerC);
        synchronized (timeLock) {
            advance();
            zeroDriftKgPerC = kgPerC;
        }
    }

    void setCreepKgPerHour(double kgPerHour) {
        finite("creep per hour", kgPerHour);
        synchronized (timeLock) {
            advance();
            creepKgPerHour = kgPerHour;
        }
    }

    /** Puts the cell where it would be had its surroundings always cycled as they do now: no start-up transient. */
    void settleCellTemperature() {
        synchronized (timeLock) {
            advance();
            cellC = steadyCellC(phase);
        }
    }

    double getAmbientTemperatureC() {
        synchronized (timeLock) {
            advance();
            return ambientC(phase);
        }
    }

    double getCellTemperatureC() {
        synchronized (timeLock) {
            advance();
            return cellC;
        }
    }

    /**
     * Tests only: the clock the model's time runs on, in nanoseconds like {@link System#nanoTime()}. The model stays
     * where it was last asked, and time goes on from the new clock's now: set right after the simulator is made, the
     * new clock's now is t = 0.
     */
    void setNanoTime(LongSupplier nanoTime) {
        synchronized (timeLock) {
            this.nanoTime = nanoTime;
            lastNanos = nanoTime.getAsLong();
        }
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

    /** What the cell says it carries now, in kg: the load and everything that makes it read off. */
    double readKg() {
        double load = loadKg;
        double x = load / fullScaleKg;
        // a parabola through 0 and full scale whose height at half scale is nonlinearity × full scale
        double nonlinearKg = 4 * nonlinearity * fullScaleKg * x * (1 - x);
        synchronized (timeLock) {
            advance();
            return load + nonlinearKg + zeroDriftKgPerC * (cellC - Hx711Simulator.REFERENCE_TEMPERATURE_C) + creepKg;
        }
    }

    private int modelCounts(Hx711Gain gain, double noise) {
        double channelA128 = offsetCounts + readKg() * countsPerKg;
        double counts = channelA128 * gain.gain() / 128.0;
        if (noise > 0) {
            counts += ThreadLocalRandom.current().nextGaussian() * noise;
        }
        return (int) Math.max(MIN_COUNTS, Math.min(MAX_COUNTS, Math.round(counts)));
    }

    /** Brings phase, cell temperature and creep from lastNanos to now, exactly for the settings held meanwhile. */
    private void advance() {
        long now = nanoTime.getAsLong();
        double elapsed = (now - lastNanos) / NANOS_PER_SECOND;
        if (elapsed <= 0) {
            return;
        }
        lastNanos = now;
        double end = phase + TWO_PI * elapsed / ambientPeriodSeconds;
        if (cellLagSeconds == 0) {
            cellC = ambientC(end);
        } else {
            // τ T' = u − T with u a sine: the periodic solution plus the start's difference from it, fading with τ
            cellC = steadyCellC(end) + (cellC - steadyCellC(phase)) * Math.exp(-elapsed / cellLagSeconds);
        }
        phase = end % TWO_PI;
        creepKg += creepKgPerHour * elapsed / SECONDS_PER_HOUR;
    }

    private double ambientC(double atPhase) {
        return ambientMeanC + ambientAmplitudeC * Math.sin(atPhase);
    }

    /** The cell's temperature in the periodic steady state: the sine damped by 1/√(1+(ωτ)²), late by atan(ωτ). */
    private double steadyCellC(double atPhase) {
        double omegaTau = TWO_PI / ambientPeriodSeconds * cellLagSeconds;
        return ambientMeanC + ambientAmplitudeC / Math.sqrt(1 + omegaTau * omegaTau)
                * Math.sin(atPhase - Math.atan(omegaTau));
    }

    private static double seconds(Duration duration) {
        return duration.getSeconds() + duration.getNano() / NANOS_PER_SECOND;
    }

    private static double finite(String what, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number, was " + value);
        }
        return value;
    }
}
