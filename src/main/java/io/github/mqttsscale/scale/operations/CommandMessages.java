package io.github.mqttsscale.scale.operations;

import java.util.List;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads command messages and writes their results: the command route's bean {@code commandMessages}. */
public class CommandMessages {

    static final String KNOWN = "tare, calibrate, calibration, publish, learn-temperature, resend-refused, simulate-load";
    private static final List<String> KNOWN_COMMANDS = List.of(KNOWN.split(", "));
    /** What scale.commands.allowed lists to let calibrate over MQTT take "force": true. */
    public static final String CALIBRATE_FORCE = "calibrate-force";

    private final List<String> allowed;

    public CommandMessages(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The command as a map (its fields by name, e.g. {@code command}, {@code knownWeightKg}).
     *
     * @throws IllegalArgumentException saying what a command looks like, for anything else
     */
    public Map<String, Object> parse(@Body String payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload == null ? "" : payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "not JSON (" + e.getOriginalMessage() + "): send e.g. {\"command\":\"tare\"}");
        }
        if (node == null || !node.isObject() || !node.path("command").isTextual()) {
            throw new IllegalArgumentException("not a command: send a JSON object with a \"command\" text, "
                    + "e.g. {\"command\":\"tare\"}; commands: " + KNOWN);
        }
        return JSON.convertValue(node, new TypeReference<Map<String, Object>>() {
        });
    }

    /**
     * Refuses a command that scale.commands.allowed does not list, naming the setting; calibrate with
     * {@code "force": true} needs {@value #CALIBRATE_FORCE} listed as well.
     */
    public void checkAllowed(@Header("command") String command, @Body Map<String, Object> body) {
        if (KNOWN_COMMANDS.contains(command) && !allowed.contains(command)) {
            throw new IllegalArgumentException(command + " is not allowed over MQTT on this scale "
                    + "(scale.commands.allowed: " + String.join(", ", allowed) + "); use Hawtio or the status page, "
                    + "or add it to scale.commands.allowed");
        }
        if ("calibrate".equals(command) && Boolean.TRUE.equals(body.get("force"))
                && !allowed.contains(CALIBRATE_FORCE)) {
            throw new IllegalArgumentException("calibrate with \"force\": true is not allowed over MQTT (it accepts a "
                    + "result far off the current calibration, e.g. another load cell): calibrate at the terminal "
                    + "(mqtts-scale calibrate) or in Hawtio, or add " + CALIBRATE_FORCE + " to scale.commands.allowed");
        }
    }

    /** For a command no branch of the route knows. */
    public void unknown(@Header("command") String command) {
        throw new IllegalArgumentException("unknown command '" + command + "': commands are " + KNOWN);
    }

    public CommandResult succeeded(@Header("command") String command, @Body String done) {
        return CommandResult.done(command, done);
    }

    public CommandResult failed(@Header("command") String command,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        String reason = failure == null ? "failed" : failure.getMessage();
        return CommandResult.refused(command, reason == null ? failure.toString() : reason);
    }
}
