package io.github.mqttsscale.scale.monitoring;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The retained JSON payload on {@code scale/<device-id>/diagnostics}; its contract is
 * {@code src/main/resources/schema/diagnostics.schema.json} and the README.
 *
 * @param timestamp                when it was made, ISO-8601 UTC with milliseconds
 * @param problem                  whether anything is wrong with the scale's weights now
 * @param problems                 what is wrong, by key (overload, saturated, zero-tracking, ...), each with what to do
 * @param rejectedSamplesPerMinute samples the HX711 driver threw away over the last minute; null while the load cell's
 *                                 route does not run or has not run for a while yet
 * @param zeroShiftKg              what automatic zero tracking took off since the last tare or calibration
 */
public record DiagnosticsReport(String deviceId, String timestamp, boolean problem, Map<String, String> problems,
        Long rejectedSamplesPerMinute, BigDecimal zeroShiftKg) {
}
