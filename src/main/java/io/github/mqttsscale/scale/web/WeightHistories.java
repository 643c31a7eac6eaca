package io.github.mqttsscale.scale.web;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.mqttsscale.scale.monitoring.FinishedReading;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/** Each scale's weights of the last minutes ({@code scale.status-page.history}), for the status page's plot. */
public class WeightHistories {

    private final Map<String, WeightHistory> histories = new LinkedHashMap<>();

    public WeightHistories(Scales scales, StatusPageProperties statusPage, Clock clock) {
        scales.all().forEach(scale -> histories.put(scale.deviceId(), new WeightHistory(statusPage.history(), clock)));
    }

    /** A reading a scale finished with. */
    public void add(FinishedReading reading) {
        history(reading.scale()).add(reading.weight());
    }

    /** The weights this scale read in the last minutes. */
    public WeightHistory history(Scale scale) {
        return histories.get(scale.deviceId());
    }
}
