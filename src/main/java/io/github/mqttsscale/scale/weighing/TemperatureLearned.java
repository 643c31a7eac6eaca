package io.github.mqttsscale.scale.weighing;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The second answer to {@code {"command":"learn-temperature","minutes":N}} on {@code scale/<device-id>/command/result},
 * when its time is up: the fitted model (applied when {@code ok}) or why not. Like every command result it has
 * {@code command}, {@code ok}, {@code reason} and {@code timestamp}; the fit's fields are left out when learning
 * ended before a fit (too few readings, too little temperature change).
 *
 * @param command         always learn-temperature
 * @param ok              whether the model was applied (and saved with the calibration)
 * @param reason          what was learned, or why it was not applied
 * @param timestamp       ISO-8601 UTC
 * @param from            when learning started
 * @param until           when it ended
 * @param zeroDriftKgPerC how much the weight moves per °C of the cell
 * @param lagSeconds      the cell's lag behind the measured temperature (first-order time constant)
 * @param referenceC      the temperature at which the weight needs no correction (kept from the model before)
 * @param rSquared        the share of the weight's variation the temperature explains (0 to 1; near 0 also when the
 *                        weight hardly moved)
 * @param residualKg      what the model leaves unexplained, root mean square
 * @param temperatureMinC the lowest temperature measured while learning
 * @param temperatureMaxC the highest
 * @param readings        the weight readings learned from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemperatureLearned(String command, boolean ok, String reason, String timestamp, String from,
        String until, Double zeroDriftKgPerC, Double lagSeconds, Double referenceC, Double rSquared, Double residualKg,
        Double temperatureMinC, Double temperatureMaxC, Integer readings) {

    public static final String COMMAND = "learn-temperature";
}
