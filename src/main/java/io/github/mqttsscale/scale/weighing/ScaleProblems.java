package io.github.mqttsscale.scale.weighing;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is wrong with one scale's weights now, each problem under a key of the step that found it (overload,
 * zero-tracking, calibrated-range, temperature-sensor, saturated), with a text that says what to do. Health, the
 * status page and Home Assistant's problem sensor show them; each is logged once when it begins and once when it ends.
 */
public class ScaleProblems {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleProblems.class);

    private final String deviceId;
    private final Map<String, String> current = new ConcurrentSkipListMap<>();
    private final Map<String, Supplier<Optional<String>>> watched = new ConcurrentSkipListMap<>();

    public ScaleProblems(String deviceId) {
        this.deviceId = deviceId;
    }

    /**
     * This problem is there now, for this reason (logged at WARN when it begins; a reason that names each reading's
     * weight changes with every reading, and is not logged again).
     */
    public void report(String key, String reason) {
        if (current.put(key, reason) == null) {
            LOG.warn("Scale {}: {}", deviceId, reason);
        }
    }

    /** This problem is over (logged once when it was there). */
    public void clear(String key) {
        if (current.remove(key) != null) {
            LOG.info("Scale {}: {} is over", deviceId, key);
        }
    }

    /** Sets or clears the problem: there while {@code present}. */
    public void set(String key, boolean present, String reason) {
        if (present) {
            report(key, reason);
        } else {
            clear(key);
        }
    }

    /**
     * A problem found by asking, not reported by a step: e.g. a sensor whose readings all fail gives no reading for a
     * step to look at. Asked whenever the problems are.
     */
    public void watch(String key, Supplier<Optional<String>> problem) {
        watched.put(key, problem);
    }

    /** The problems there are now, by key, sorted. */
    public Map<String, String> now() {
        watched.forEach((key, problem) -> problem.get().ifPresentOrElse(reason -> report(key, reason),
                () -> clear(key)));
        return new TreeMap<>(current);
    }

    public boolean any() {
        return !now().isEmpty();
    }
}
