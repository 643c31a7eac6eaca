package io.github.mqttsscale.scale.temperature;

/**
 * The load cell's temperature as it follows the measured one through a first-order lag, {@code lag × dT_cell/dt =
 * T − T_cell}, integrated exactly: between two measurements the measured temperature is taken to move in a straight
 * line, for which the lag has a closed solution, so the cell's temperature is the same however often it is measured
 * along that line. After the newest measurement the line goes on, for as long as the last interval between
 * measurements (weights come between measurements, and a temperature held instead would put the estimate half an
 * interval late); beyond that the temperature is held. The cell starts at the first measurement. The lag is given
 * with each call, so a newly learned lag applies from the next step on. Times are in seconds on any one clock. Not
 * thread-safe.
 */
public final class LagFilter {

    private boolean started;
    /** The time of the last measurement. */
    private double time;
    /** The last measured temperature. */
    private double input;
    /** How fast the measured temperature moved between the last two measurements, °C per second. */
    private double slope;
    /** How long before the last measurement the one before it was: the line is followed that far ahead. */
    private double interval;
    /** The cell's temperature at {@link #time}. */
    private double cell;

    /** A new measurement: the cell moves on to {@code t} along the line from the last one to this one. */
    public void measure(double t, double measuredC, double lagSeconds) {
        if (!started) {
            started = true;
            time = t;
            input = measuredC;
            cell = measuredC;
            return;
        }
        double elapsed = t - time;
        if (elapsed <= 0) {
            // at the same time (or a clock step back): the measured temperature jumps, the cell cannot
            input = measuredC;
            slope = 0;
            interval = 0;
            if (!(lagSeconds > 0)) {
                cell = measuredC;
            }
            return;
        }
        double toward = (measuredC - input) / elapsed;
        cell = follow(cell, input, toward, elapsed, lagSeconds);
        time = t;
        input = measuredC;
        slope = toward;
        interval = elapsed;
    }

    /** The cell's temperature at {@code t} (not before the last measurement: then it is the one there). */
    public double at(double t, double lagSeconds) {
        if (!started) {
            throw new IllegalStateException("no temperature measured yet");
        }
        double elapsed = t - time;
        if (elapsed <= 0) {
            return cell;
        }
        double along = Math.min(elapsed, interval);
        double atLineEnd = follow(cell, input, slope, along, lagSeconds);
        return follow(atLineEnd, input + slope * along, 0, elapsed - along, lagSeconds);
    }

    /**
     * The cell {@code elapsed} seconds on, from {@code cellC}, the measured temperature moving from {@code fromC} at
     * {@code slope}: {@code T(t) = u(t) − slope·lag + (cellC − fromC + slope·lag)·e^(−t/lag)}, with u the line.
     */
    private static double follow(double cellC, double fromC, double slope, double elapsed, double lagSeconds) {
        double measured = fromC + slope * elapsed;
        if (!(lagSeconds > 0)) {
            return measured;
        }
        double behind = slope * lagSeconds;
        return measured - behind + (cellC - fromC + behind) * Math.exp(-elapsed / lagSeconds);
    }

    public boolean started() {
        return started;
    }

    /** The time of the last measurement. */
    public double time() {
        return time;
    }

    /** Puts the cell at this temperature at the last measurement's time (a learned model's better estimate). */
    public void correctCell(double cellC) {
        if (!started) {
            throw new IllegalStateException("no temperature measured yet");
        }
        cell = cellC;
    }
}
