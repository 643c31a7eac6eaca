package io.github.mqttsscale.scale.operations;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Bounds how often tare and calibration, each a fresh reading and a write forced to the SD card, may run: a few in a
 * row (an operator tares, then calibrates), then one per second on average, whoever asks (MQTT, Hawtio, status page).
 * A flood of commands is refused, not queued and not written.
 */
public class SaveThrottle {

    /** How many may run in a row. */
    public static final int BURST = 5;
    /** One more may run per this many nanoseconds (1 s). */
    private static final long REFILL_NANOS = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private double available = BURST;
    private long lastRefill;

    public SaveThrottle() {
        this(System::nanoTime);
    }

    SaveThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastRefill = nanoTime.getAsLong();
    }

    /**
     * Takes one run.
     *
     * @throws IllegalStateException saying so, when tare and calibrate already ran as often as they may
     */
    public synchronized void acquire(String operation) {
        long now = nanoTime.getAsLong();
        available = Math.min(BURST, available + (double) (now - lastRefill) / REFILL_NANOS);
        lastRefill = now;
        if (available < 1) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "too many tare/calibrate in a row: %s not done (at most %d in a row, then one per second, each is "
                            + "a write to the SD card); send it again in %.1f s",
                    operation, BURST, (1 - available) * REFILL_NANOS / 1e9));
        }
        available -= 1;
    }
}
