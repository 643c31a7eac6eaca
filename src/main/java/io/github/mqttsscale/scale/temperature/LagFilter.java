package io.github.mqttsscale.scale.temperature;

/**
 * The load cell's temperature as it follows the measured one through a first-order lag: between two measurements the
 * cell approaches the last measured temperature exponentially, {@code T_cell(t) = T + (T_cell(t0) − T) e^(−(t−t0)/lag)},
 * exact for any time between them (the measured temperature is held until the next measurement, as the scale knows no
 * better). The cell starts at the first measurement. The lag is given with each call, so a newly learned lag applies
 * from the next step on. Times are in seconds on any one clock. Not thread-safe.
 */
public final class LagFilter {

    private boolean started;
    /** The time of the last measurement. */
    private double time;
    /** The last measured temperature, held until the next one. */
    private double input;
    /** The cell's temperature at {@link #time}. */
    private double cell;

    /** A new measurement: the cell moves on to {@code t} towards the last one, then follows this one. */
    public void measure(double t, double measuredC, double lagSeconds) {
        if (!started) {
            started = true;
            time = t;
            input = measuredC;
            cell = measuredC;
            return;
        }
        cell = lagSeconds > 0 ? at(t, lagSeconds) : measuredC;
        time = Math.max(time, t);
        input = measuredC;
    }

    /** The cell's temperature at {@code t} (not before the last measurement: then it is the one there). */
    public double at(double t, double lagSeconds) {
        if (!started) {
            throw new IllegalStateException("no temperature measured yet");
        }
        if (!(lagSeconds > 0)) {
            return input;
        }
        double elapsed = t - time;
        return elapsed <= 0 ? cell : input + (cell - input) * Math.exp(-elapsed / lagSeconds);
    }

    public boolean started() {
        return started;
    }

    /** The time of the last measurement. */
    public double time() {
        return time;
    }

    /** The last measured temperature. */
    public double input() {
        return input;
    }

    /** Puts the cell at this temperature at the last measurement's time (a learned model's better estimate). */
    public void correctCell(double cellC) {
        if (!started) {
            throw new IllegalStateException("no temperature measured yet");
        }
        cell = cellC;
    }
}
