package io.github.mqttsscale.scale.temperature;

import java.util.Arrays;

/**
 * Finds how a constant load's weight moved with the load cell's temperature: {@code weight = a + coefficient ×
 * T_cell}, where T_cell follows the measured temperatures through a first-order lag ({@link LagFilter}). For each
 * candidate lag (0, then from a thousandth of the span to {@code longestLag}, a geometric grid refined by a
 * golden-section search around the best) the lag filter runs over the measured temperatures and the weights are fitted
 * by weighted least squares; the lag whose fit leaves the least unexplained wins.
 * <p>
 * The cell's temperature when the recording starts is not known (the filter starts it at the first measurement): the
 * difference decays as {@code e^(−t/lag)}, and the fit takes it as a further term, so the start does not bias the lag.
 * {@link #bestWithStep} also lets the load change once (a step at the time that explains most): over a short recording
 * the temperature alone can mimic much of a step, which a step term then shows for what it is.
 */
public final class TemperatureFit {

    private static final int GRID = 60;
    private static final int REFINEMENTS = 40;
    private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;
    private static final int NO_STEP = -1;
    /** A column whose elimination leaves less than this share of it is taken as a mix of the others, and dropped. */
    private static final double COLLINEAR = 1e-10;

    private final double[] temperatureTimes;
    private final double[] temperatures;
    private final double[] weightTimes;
    private final double[] weights;
    private final double[] counts;
    private final double totalCount;

    /** {@link #TemperatureFit(double[], double[], double[], double[], double[])}, each weight one reading. */
    public TemperatureFit(double[] temperatureTimes, double[] temperatures, double[] weightTimes, double[] weights) {
        this(temperatureTimes, temperatures, weightTimes, weights, ones(weights.length));
    }

    /**
     * @param temperatureTimes when each temperature was measured, in seconds, ascending
     * @param temperatures     the measured temperatures, °C
     * @param weightTimes      when each weight was read, in seconds, ascending; those before the first temperature are
     *                         left out
     * @param weights          the weights, kg, not compensated
     * @param counts           how many readings each weight is the mean of: its weight in the fit
     */
    public TemperatureFit(double[] temperatureTimes, double[] temperatures, double[] weightTimes, double[] weights,
            double[] counts) {
        if (temperatureTimes.length == 0 || temperatureTimes.length != temperatures.length
                || weightTimes.length != weights.length || weights.length != counts.length) {
            throw new IllegalArgumentException("needs temperatures and weights, each with their times");
        }
        int first = 0;
        while (first < weightTimes.length && weightTimes[first] < temperatureTimes[0]) {
            first++;
        }
        this.temperatureTimes = temperatureTimes.clone();
        this.temperatures = temperatures.clone();
        this.weightTimes = Arrays.copyOfRange(weightTimes, first, weightTimes.length);
        this.weights = Arrays.copyOfRange(weights, first, weights.length);
        this.counts = Arrays.copyOfRange(counts, first, counts.length);
        if (this.weights.length < 5) {
            throw new IllegalArgumentException("needs at least 5 weights after the first temperature, has "
                    + this.weights.length);
        }
        this.totalCount = Arrays.stream(this.counts).sum();
    }

    private static double[] ones(int length) {
        double[] ones = new double[length];
        Arrays.fill(ones, 1);
        return ones;
    }

    /** The best fit for lags from 0 to {@code longestLagSeconds}, the load constant. */
    public Result best(double longestLagSeconds) {
        return search(longestLagSeconds, NO_STEP);
    }

    /**
     * The best fit for lags from 0 to {@code longestLagSeconds} with one step in the load, at the time where a step
     * explains most for the lag of {@link #best} ({@link Result#stepKg()}, {@link Result#stepTime()}).
     */
    public Result bestWithStep(double longestLagSeconds) {
        return search(longestLagSeconds, bestStepFrom(best(longestLagSeconds).lagSeconds()));
    }

    private Result search(double longestLagSeconds, int stepFrom) {
        double span = weightTimes[weightTimes.length - 1] - temperatureTimes[0];
        double shortest = Math.min(Math.max(span / 1000, 0.01), longestLagSeconds);
        double[] lags = new double[GRID + 1];
        for (int k = 1; k <= GRID; k++) {
            lags[k] = shortest * Math.pow(longestLagSeconds / shortest, (k - 1) / (double) (GRID - 1));
        }
        int bestAt = 0;
        Result best = at(0, stepFrom);
        for (int k = 1; k <= GRID; k++) {
            Result candidate = at(lags[k], stepFrom);
            if (candidate.sumOfSquares() < best.sumOfSquares()) {
                best = candidate;
                bestAt = k;
            }
        }
        double low = lags[Math.max(bestAt - 1, 0)];
        double high = lags[Math.min(bestAt + 1, GRID)];
        double left = high - GOLDEN * (high - low);
        double right = low + GOLDEN * (high - low);
        Result atLeft = at(left, stepFrom);
        Result atRight = at(right, stepFrom);
        for (int i = 0; i < REFINEMENTS; i++) {
            if (atLeft.sumOfSquares() < atRight.sumOfSquares()) {
                high = right;
                right = left;
                atRight = atLeft;
                left = high - GOLDEN * (high - low);
                atLeft = at(left, stepFrom);
            } else {
                low = left;
                left = right;
                atLeft = atRight;
                right = low + GOLDEN * (high - low);
                atRight = at(right, stepFrom);
            }
        }
        for (Result refined : new Result[]{atLeft, atRight}) {
            if (refined.sumOfSquares() < best.sumOfSquares()) {
                best = refined;
            }
        }
        return best;
    }

    /** The least-squares fit with this lag, the load constant. */
    public Result at(double lagSeconds) {
        return at(lagSeconds, NO_STEP);
    }

    /** With {@code stepFrom} ≥ 0, the load may change by a step from the weight of that index on. */
    private Result at(double lagSeconds, int stepFrom) {
        Columns columns = columns(lagSeconds);
        int n = weights.length;
        boolean withStep = stepFrom >= 0;
        // the columns besides the intercept: the cell, the step, the start's decay (dropped first when collinear)
        double[][] design = new double[withStep ? 3 : 2][];
        design[0] = columns.cell;
        if (withStep) {
            design[1] = new double[n];
            Arrays.fill(design[1], stepFrom, n, 1);
        }
        design[design.length - 1] = columns.decay;
        int k = design.length;
        double[] means = new double[k];
        for (int c = 0; c < k; c++) {
            means[c] = mean(design[c]);
        }
        double meanWeight = mean(weights);
        double[][] normal = new double[k][k];
        double[] right = new double[k];
        double squares = 0;
        for (int j = 0; j < n; j++) {
            double y = weights[j] - meanWeight;
            squares += counts[j] * y * y;
            for (int a = 0; a < k; a++) {
                double za = design[a][j] - means[a];
                right[a] += counts[j] * za * y;
                for (int b = 0; b <= a; b++) {
                    normal[a][b] += counts[j] * za * (design[b][j] - means[b]);
                }
            }
        }
        double[] beta = solve(normal, right);
        double intercept = meanWeight;
        for (int c = 0; c < k; c++) {
            intercept -= beta[c] * means[c];
        }
        double sumOfSquares = 0;
        for (int j = 0; j < n; j++) {
            double fitted = intercept;
            for (int c = 0; c < k; c++) {
                fitted += beta[c] * design[c][j];
            }
            double residual = weights[j] - fitted;
            sumOfSquares += counts[j] * residual * residual;
        }
        double coefficient = beta[0];
        double startOffset = beta[k - 1];
        double rSquared = squares > 0 ? 1 - sumOfSquares / squares : 0;
        return new Result(coefficient, lagSeconds, intercept, rSquared, Math.sqrt(sumOfSquares / totalCount),
                sumOfSquares, withStep ? beta[1] : 0, withStep ? weightTimes[stepFrom] : Double.NaN,
                coefficient != 0 ? startOffset / coefficient : 0);
    }

    /**
     * Where a step in the load explains most, for this lag: every split is tried (with at least two weights either
     * side), each in constant time from sums over the weights after it.
     */
    private int bestStepFrom(double lagSeconds) {
        Columns columns = columns(lagSeconds);
        int n = weights.length;
        double meanCell = mean(columns.cell);
        double meanDecay = mean(columns.decay);
        double meanWeight = mean(weights);
        double sxx = 0;
        double sxe = 0;
        double see = 0;
        double sxy = 0;
        double sey = 0;
        double syy = 0;
        double[] x = new double[n];
        double[] e = new double[n];
        double[] y = new double[n];
        for (int j = 0; j < n; j++) {
            x[j] = columns.cell[j] - meanCell;
            e[j] = columns.decay[j] - meanDecay;
            y[j] = weights[j] - meanWeight;
            sxx += counts[j] * x[j] * x[j];
            sxe += counts[j] * x[j] * e[j];
            see += counts[j] * e[j] * e[j];
            sxy += counts[j] * x[j] * y[j];
            sey += counts[j] * e[j] * y[j];
            syy += counts[j] * y[j] * y[j];
        }
        // sums over the weights from index s on: the centred step column's products with the others
        double afterCount = 0;
        double afterX = 0;
        double afterE = 0;
        double afterY = 0;
        int best = 2;
        double leastSquares = Double.POSITIVE_INFINITY;
        for (int s = n - 1; s >= 2; s--) {
            afterCount += counts[s];
            afterX += counts[s] * x[s];
            afterE += counts[s] * e[s];
            afterY += counts[s] * y[s];
            if (s > n - 2) {
                continue;
            }
            double stepStep = afterCount - afterCount * afterCount / totalCount;
            double[][] normal = {{sxx, 0, 0}, {afterX, stepStep, 0}, {sxe, afterE, see}};
            double[] right = {sxy, afterY, sey};
            double[] beta = solve(normal, right);
            double squares = syy - beta[0] * sxy - beta[1] * afterY - beta[2] * sey;
            if (squares < leastSquares) {
                leastSquares = squares;
                best = s;
            }
        }
        return best;
    }

    /**
     * Solves the normal equations (symmetric, only the lower triangle given) by Cholesky's elimination; a column that
     * is a mix of those before it gets 0.
     */
    private static double[] solve(double[][] normal, double[] right) {
        int k = right.length;
        double[][] lower = new double[k][k];
        boolean[] dropped = new boolean[k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b <= a; b++) {
                double sum = normal[a][b];
                for (int c = 0; c < b; c++) {
                    sum -= lower[a][c] * lower[b][c];
                }
                if (a == b) {
                    dropped[a] = !(sum > COLLINEAR * normal[a][a]) || normal[a][a] <= 0;
                    lower[a][a] = dropped[a] ? 1 : Math.sqrt(sum);
                } else {
                    lower[a][b] = dropped[b] ? 0 : sum / lower[b][b];
                }
            }
            if (dropped[a]) {
                Arrays.fill(lower[a], 0, a, 0);
            }
        }
        double[] z = new double[k];
        for (int a = 0; a < k; a++) {
            double sum = right[a];
            for (int c = 0; c < a; c++) {
                sum -= lower[a][c] * z[c];
            }
            z[a] = dropped[a] ? 0 : sum / lower[a][a];
        }
        double[] beta = new double[k];
        for (int a = k - 1; a >= 0; a--) {
            double sum = z[a];
            for (int c = a + 1; c < k; c++) {
                sum -= lower[c][a] * beta[c];
            }
            beta[a] = dropped[a] ? 0 : sum / lower[a][a];
        }
        return beta;
    }

    /**
     * The cell's temperature at {@code time} (from the first temperature on) as this fit sees it: the lag filter over
     * the temperatures, with the difference at the start that the fit found; NaN before the first temperature.
     */
    public double cellAt(Result fit, double time) {
        if (!(time >= temperatureTimes[0])) {
            return Double.NaN;
        }
        LagFilter filter = new LagFilter();
        for (int i = 0; i < temperatureTimes.length && temperatureTimes[i] <= time; i++) {
            filter.measure(temperatureTimes[i], temperatures[i], fit.lagSeconds());
        }
        double decay = fit.lagSeconds() > 0 ? Math.exp(-(time - temperatureTimes[0]) / fit.lagSeconds()) : 0;
        return filter.at(time, fit.lagSeconds()) + fit.startDifferenceC() * decay;
    }

    /** The cell's temperature at each weight's time, and the start's decay there, for this lag. */
    private Columns columns(double lagSeconds) {
        int n = weights.length;
        double[] cell = new double[n];
        double[] decay = new double[n];
        LagFilter filter = new LagFilter();
        double start = temperatureTimes[0];
        int next = 0;
        for (int j = 0; j < n; j++) {
            while (next < temperatureTimes.length && temperatureTimes[next] <= weightTimes[j]) {
                filter.measure(temperatureTimes[next], temperatures[next], lagSeconds);
                next++;
            }
            cell[j] = filter.at(weightTimes[j], lagSeconds);
            decay[j] = lagSeconds > 0 ? Math.exp(-(weightTimes[j] - start) / lagSeconds) : 0;
        }
        return new Columns(cell, decay);
    }

    private record Columns(double[] cell, double[] decay) {
    }

    /** The mean, each value weighted by its count. */
    private double mean(double[] values) {
        double sum = 0;
        for (int j = 0; j < values.length; j++) {
            sum += counts[j] * values[j];
        }
        return sum / totalCount;
    }

    /**
     * One fit.
     *
     * @param coefficient  kg per °C of the cell
     * @param lagSeconds   the cell's lag
     * @param intercept    the weight at a cell of 0 °C (before a step)
     * @param rSquared     the share of the weight's variance the fit explains (0 to 1)
     * @param residualRms  what the fit leaves unexplained, root mean square over the readings, kg
     * @param sumOfSquares the sum of the squared residuals, each weighted by its count
     * @param stepKg       with a step: how much the load changed, kg; else 0
     * @param stepTime     with a step: the time of the first weight after it; else NaN
     * @param startDifferenceC how far the cell's temperature was from the first measurement when the recording began,
     *                         as the fit found it
     */
    public record Result(double coefficient, double lagSeconds, double intercept, double rSquared, double residualRms,
            double sumOfSquares, double stepKg, double stepTime, double startDifferenceC) {
    }
}
