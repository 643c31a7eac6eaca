package io.github.mqttsscale.scale.operations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.mqttsscale.scale.weighing.Scale;

/** The operations of each scale, by device id. */
public final class Operations {

    private final Map<String, ScaleOperations> byDeviceId = new LinkedHashMap<>();

    Operations(Map<Scale, ScaleOperations> operations) {
        operations.forEach((scale, scaleOperations) -> byDeviceId.put(scale.deviceId(), scaleOperations));
    }

    /** @throws IllegalArgumentException naming the scales there are */
    public ScaleOperations of(String deviceId) {
        ScaleOperations operations = byDeviceId.get(deviceId);
        if (operations == null) {
            throw new IllegalArgumentException(
                    "no scale " + deviceId + ": the scales are " + String.join(", ", byDeviceId.keySet()));
        }
        return operations;
    }

    public List<String> deviceIds() {
        return List.copyOf(byDeviceId.keySet());
    }
}
