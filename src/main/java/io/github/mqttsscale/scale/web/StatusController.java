package io.github.mqttsscale.scale.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.mqttsscale.hx711.Hx711Counters;
import io.github.mqttsscale.scale.monitoring.ScaleActivity;
import io.github.mqttsscale.scale.monitoring.StorageHealth;
import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.operations.CommandResult;
import io.github.mqttsscale.scale.operations.Operations;
import io.github.mqttsscale.scale.operations.ScaleOperations;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.outbox.RefusedReadings;
import io.github.mqttsscale.scale.weighing.CalibrationPoint;
import io.github.mqttsscale.scale.weighing.CalibrationValues;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.ScaleTemperature;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * The JSON behind the status page at {@code /} ({@code static/index.html}), and its buttons. Behind the same
 * login as Hawtio; the POSTs need the CSRF token (the {@code XSRF-TOKEN} cookie as header {@code X-XSRF-TOKEN}).
 */
@RestController
@RequestMapping("/api")
class StatusController {

    private final Scales scales;
    private final ScaleActivity activity;
    private final WeightHistories histories;
    private final BrokerConnection broker;
    private final Operations operations;
    private final Outbox outbox;
    private final RefusedReadings refusedReadings;
    private final StorageHealth storage;

    StatusController(Scales scales, ScaleActivity activity, WeightHistories histories, BrokerConnection broker,
            Operations operations,
            Outbox outbox, RefusedReadings refusedReadings, StorageHealth storage) {
        this.scales = scales;
        this.activity = activity;
        this.histories = histories;
        this.broker = broker;
        this.operations = operations;
        this.outbox = outbox;
        this.refusedReadings = refusedReadings;
        this.storage = storage;
    }

    /**
     * @param deviceId the scale to show (parameter {@code scale}); default: the first
     */
    @GetMapping("/status")
    Map<String, Object> status(@RequestParam(name = "scale", required = false) String deviceId) {
        Scale scale = deviceId == null ? scales.all().get(0) : scales.get(deviceId);
        WeightHistory history = histories.history(scale);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("deviceId", scale.deviceId());
        status.put("scales", scales.all().stream().map(Scale::deviceId).toList());
        history.latest().ifPresent(latest -> {
            status.put("weight", latest.kg());
            status.put("weightText", latest.kg().toPlainString()); // with the decimals of scale.division-kg
            status.put("readAt", latest.at().toString());
            status.put("stable", scale.stableWeight().isStableNow());
        });
        status.put("unit", "kg");
        status.put("historySeconds", history.span().toSeconds());
        status.put("history", history.points().stream()
                .map(point -> List.of(point.at().toEpochMilli(), point.kg())).toList());
        Map<String, Object> mqtt = new LinkedHashMap<>();
        mqtt.put("url", broker.url());
        mqtt.put("connected", broker.isConnected());
        Instant since = broker.connectedSince();
        mqtt.put("since", since == null ? null : since.toString());
        mqtt.put("problem", broker.problem());
        status.put("broker", mqtt);
        status.put("lastPublish", activity.lastPublish(scale)
                .map(publish -> Map.of("at", publish.at().toString(), "weight", String.valueOf(publish.weight())))
                .orElse(null));
        status.put("lastEvent", activity.lastEvent(scale).map(event -> Map.of("type", event.type().key(),
                "deltaKg", event.deltaKg(), "deltaText", event.deltaKg().abs().toPlainString(), "beforeKg",
                event.beforeKg(), "afterKg", event.afterKg(), "at", event.at().toString())).orElse(null));
        Map<String, Object> counters = new LinkedHashMap<>();
        scale.loadCell().consumer().ifPresentOrElse(consumer -> {
            Hx711Counters hx711 = consumer.counters();
            counters.put("readings", hx711.getReads());
            counters.put("goodSamples", hx711.getGoodSamples());
            counters.put("rejectedSamples", hx711.rejectedTotal());
            counters.put("timeouts", hx711.getTimeouts());
            status.put("sensorProblem", consumer.getLastPollFailure());
        }, () -> status.put("sensorProblem", scale.loadCell().notRunningReason()));
        counters.put("published", activity.publishedCount());
        counters.put("waitingInOutbox", outbox.getWaiting());
        status.put("counters", counters);
        // readings the broker refused, set aside: the same as health's outbox.refused
        status.put("refused", refusedReadings.summary().isEmpty() ? null : refusedReadings.summary());
        status.put("storageProblem", storage.problem().orElse(null)); // the text of health's storage component
        CalibrationValues calibration = scale.calibration().values();
        // trusted false: the calibration file was damaged, these are the configured values no weight is made with
        status.put("calibration", Map.of("offset", calibration.offset(), "countsPerKg", calibration.countsPerKg(),
                "knownWeightsKg", calibration.points().stream().map(CalibrationPoint::kg).toList(), "zeroShiftKg",
                calibration.zeroShiftKg(), "trusted", scale.calibration().trusted()));
        // what is wrong with the weights (overload, zero tracking at its range, ...), each with what to do
        status.put("problems", scale.problems().now());
        ScaleTemperature temperature = scale.temperature();
        if (temperature.hasSensor()) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("measuredC", temperature.measuredC().orElse(null));
            shown.put("cellC", temperature.cellC().map(cell -> Math.round(cell * 100) / 100.0).orElse(null));
            shown.put("model", temperature.describeModel());
            shown.put("learning", temperature.learningState());
            status.put("temperature", shown);
        }
        return status;
    }

    @PostMapping("/tare")
    ResponseEntity<CommandResult> tare(@RequestParam(name = "scale", required = false) String deviceId) {
        ScaleOperations scaleOperations = operationsOf(deviceId); // an unknown scale is a 404, not a refusal
        return run("tare", scaleOperations::tare);
    }

    @PostMapping("/publish")
    ResponseEntity<CommandResult> publish(@RequestParam(name = "scale", required = false) String deviceId) {
        ScaleOperations scaleOperations = operationsOf(deviceId);
        return run("publish", scaleOperations::publish);
    }

    /** learn-temperature, for {@code minutes}. */
    @PostMapping("/learn-temperature")
    ResponseEntity<CommandResult> learnTemperature(@RequestParam(name = "scale", required = false) String deviceId,
            @RequestParam(name = "minutes", required = false) Double minutes) {
        ScaleOperations scaleOperations = operationsOf(deviceId);
        return run("learn-temperature", () -> scaleOperations.learnTemperature(minutes));
    }

    /** A scale the request names that there is not. */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> noSuchScale(IllegalArgumentException e) {
        return ResponseEntity.status(404).body(Map.of("reason", e.getMessage()));
    }

    private ScaleOperations operationsOf(String deviceId) {
        return operations.of(deviceId == null ? scales.all().get(0).deviceId() : deviceId);
    }

    private static ResponseEntity<CommandResult> run(String command, Supplier<String> operation) {
        try {
            return ResponseEntity.ok(CommandResult.done(command, operation.get()));
        } catch (RuntimeException e) {
            return ResponseEntity.status(409).body(CommandResult.refused(command, e.getMessage()));
        }
    }
}
