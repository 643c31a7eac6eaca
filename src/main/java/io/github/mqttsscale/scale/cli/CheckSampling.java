package io.github.mqttsscale.scale.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.mqttsscale.hx711.Hx711ClockHighHistogram;
import io.github.mqttsscale.hx711.Hx711Driver;
import io.github.mqttsscale.hx711.Hx711NotReadyException;
import io.github.mqttsscale.hx711.Hx711RejectReason;
import io.github.mqttsscale.hx711.Hx711Sample;
import io.github.mqttsscale.hx711.Hx711SampleRejectedException;
import io.github.mqttsscale.hx711.Hx711Settings;
import io.github.mqttsscale.hx711.Hx711TimingException;
import io.github.mqttsscale.hx711.Hx711Wire;

/**
 * How {@code mqtts-scale check} reads the chip: up to {@link #SAMPLES} samples one by one, so that every rejection and
 * every data-ready time is seen, stopping early once a wiring fault is clear.
 */
final class CheckSampling {

    /** Good samples wanted: two seconds at 10 samples/s, enough for a standard deviation. */
    static final int SAMPLES = 20;
    private static final int MAX_ATTEMPTS = 2 * SAMPLES;
    /** Wiring faults in a row that end the check early: the fault is clear by then (clock-timing rejections,
     *  which a JVM still warming up causes, only count towards MAX_ATTEMPTS). */
    private static final int FAILURES_IN_A_ROW = 10;
    private static final int TIMEOUTS_IN_A_ROW = 2;

    /**
     * What the chip gave.
     *
     * @param attempts  samples asked for
     * @param good      the raw counts of the samples that passed
     * @param intervals nanoseconds between the data-ready times of samples read one after the other
     * @param rejected  rejected samples by reason
     * @param timeouts  times DOUT never signalled data ready
     * @param clockHigh how long PD_SCK stayed high, pulse by pulse
     */
    record Samples(int attempts, List<Integer> good, List<Long> intervals, Map<Hx711RejectReason, Integer> rejected,
            int timeouts, Hx711ClockHighHistogram clockHigh) {
    }

    private final Hx711Driver driver;

    CheckSampling(Hx711Wire wire, Hx711Settings settings) {
        this.driver = new Hx711Driver(wire, settings);
    }

    /** Rehearses clock-outs without a clock edge while the JVM compiles the clocking code; returns how many. */
    int warmUp() {
        return driver.warmUp();
    }

    Samples read() {
        List<Integer> good = new ArrayList<>();
        List<Long> intervals = new ArrayList<>();
        Map<Hx711RejectReason, Integer> rejected = new EnumMap<>(Hx711RejectReason.class);
        int timeouts = 0;
        int attempts = 0;
        int failuresInARow = 0;
        int timeoutsInARow = 0;
        Long lastReady = null;
        while (good.size() < SAMPLES && attempts < MAX_ATTEMPTS && failuresInARow < FAILURES_IN_A_ROW
                && timeoutsInARow < TIMEOUTS_IN_A_ROW) {
            attempts++;
            try {
                Hx711Sample sample = driver.readSample();
                good.add(sample.raw());
                if (lastReady != null) {
                    intervals.add(sample.dataReadyNanos() - lastReady);
                }
                lastReady = sample.dataReadyNanos();
                failuresInARow = 0;
                timeoutsInARow = 0;
            } catch (Hx711TimingException e) {
                // only stale or unsettled samples: the machine too slow to read a conversion before the next one
                rejected.merge(Hx711RejectReason.TIMING, 1, Integer::sum);
                lastReady = null;
            } catch (Hx711NotReadyException e) {
                timeouts++;
                timeoutsInARow++;
                failuresInARow++;
                lastReady = null;
            } catch (Hx711SampleRejectedException e) {
                rejected.merge(e.reason(), 1, Integer::sum);
                if (e.reason() != Hx711RejectReason.TIMING) {
                    failuresInARow++;
                }
                timeoutsInARow = 0;
                lastReady = null;
            }
        }
        return new Samples(attempts, good, intervals, rejected, timeouts, driver.clockHighHistogram());
    }
}
