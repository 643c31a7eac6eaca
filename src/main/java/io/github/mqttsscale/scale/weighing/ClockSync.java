package io.github.mqttsscale.scale.weighing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the system clock has been set from the network yet. A Pi has no clock battery: it boots with the time it
 * last saved, maybe weeks old, until NTP steps it, and readings taken before that carry a wrong timestamp. Known where
 * systemd-timesyncd keeps the clock (Raspberry Pi OS, Debian): it creates {@code /run/systemd/timesync/synchronized}
 * once synchronized. Where it does not run (chrony, ntpd, no NTP at all), nothing is known and nothing is claimed.
 */
public class ClockSync {

    private static final Path TIMESYNC = Path.of("/run/systemd/timesync");

    private final Path timesync;
    private volatile boolean synced;

    public ClockSync() {
        this(TIMESYNC);
    }

    ClockSync(Path timesync) {
        this.timesync = timesync;
    }

    /**
     * False only while systemd-timesyncd runs and has not synchronized the clock yet; once true, it stays true (a
     * clock once set keeps its time).
     */
    public boolean synced() {
        if (!synced) {
            synced = !Files.isDirectory(timesync) || Files.exists(timesync.resolve("synchronized"));
        }
        return synced;
    }
}
