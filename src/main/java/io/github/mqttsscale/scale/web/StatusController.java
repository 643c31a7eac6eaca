package io.github.mqttsscale.scale.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.mqttsscale.hx711.Hx711Counters;
import io.github.mqttsscale.scale.monitoring.ScaleActivity;
import io.github.mqttsscale.scale.monitoring.StorageHealth;
import io.github.mqttsscale.scale.monitoring.WeightHistory;
import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.operations.CommandResult;
import io.github.mqttsscale.scale.operations.ScaleOperations;
import io.github.mqttsscale.scale.outbox.Outbox;
import io.github.mqttsscale.scale.weighing.Calibration;
import io.github.mqttsscale.scale.weighing.LoadCell;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.StableWeight;

/**
 * The JSON behind the status page at {@code /} ({@code static/index.html}), and its buttons. Behind the same
 * login as Hawtio; the POSTs need the CSRF token (the {@code XSRF-TOKEN} cookie as header {@code X-XSRF-TOKEN}).
 */
@RestController
@RequestMapping("/api")
class StatusController {

    private final ScaleProperties scale;
    private final WeightHistory history;
    private final ScaleActivity activity;
    private final BrokerConnection broker;
    private final LoadCell loadCell;
    private final Calibration calibration;
    private final ScaleOperations operations;
    private final Outbox outbox;
    private final StorageHealth storage;
    private final StableWeight stableWeight;

    StatusController(ScaleProperties scale, WeightHistory history, ScaleActivity activity, BrokerConnection broker,
            LoadCell loadCell, Calibration calibration, ScaleOperations operations, Outbox outbox,
            StorageHealth storage,
            StableWeight stableWeight) {
        this.scale = scale;
        this.history = history;
        this.activity = activity;
        this.broker = broker;
        this.loadCell = loadCell;
        this.calibration = calibration;
        this.operations = operations;
        this.outbox = outbox;
        this.storage = storage;
        this.stableWeight = stableWeight;
    }

    @GetMapping("/status")
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("deviceId", scale.deviceId());
        history.latest().ifPresent(latest -> {
            status.put("weight", latest.kg());
            status.put("weightText", latest.kg().toPlainString()); // with the decimals of scale.resolution-kg
            status.put("readAt", latest.at().toString());
            status.put("stable", stableWeight.isStableNow());
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
        status.put("lastPublish", activity.lastPublish()
                .map(publish -> Map.of("at", publish.at().toString(), "weight", String.valueOf(publish.weight())))
                .orElse(null));
        Map<String, Object> counters = new LinkedHashMap<>();
        loadCell.consumer().ifPresent(consumer -> {
            Hx711Counters hx711 = consumer.counters();
            counters.put("readings", hx711.getReads());
            counters.put("goodSamples", hx711.getGoodSamples());
            counters.put("rejectedSamples", hx711.rejectedTotal());
            counters.put("timeouts", hx711.getTimeouts());
            status.put("sensorProblem", consumer.getLastPollFailure());
        });
        counters.put("published", activity.publishedCount());
        counters.put("waitingInOutbox", outbox.getWaiting());
        status.put("counters", counters);
        status.put("storageProblem", storage.problem().orElse(null)); // the text of health's storage component
        status.put("calibration", Map.of("offset", calibration.offset(), "countsPerKg", calibration.countsPerKg()));
        return status;
    }

    @PostMapping("/tare")
    ResponseEntity<CommandResult> tare() {
        return run("tare", operations::tare);
    }

    @PostMapping("/publish")
    ResponseEntity<CommandResult> publish() {
        return run("publish", operations::publish);
    }

    private static ResponseEntity<CommandResult> run(String command, Supplier<String> operation) {
        try {
            return ResponseEntity.ok(CommandResult.done(command, operation.get()));
        } catch (RuntimeException e) {
            return ResponseEntity.status(409).body(CommandResult.refused(command, e.getMessage()));
        }
    }
}
