package io.github.mqttsscale.scale.mqtt;

/** The scale's own topics under {@code scale/<device-id>/}. */
public record Topics(String deviceId) {

    /** Retained {@code online}/{@code offline}, the last will. */
    public String status() {
        return "scale/" + deviceId + "/status";
    }

    /** Retained {@code online}/{@code offline}: whether this scale's load cell gives readings. */
    public String sensor() {
        return "scale/" + deviceId + "/sensor";
    }

    /** Its weight events (added, removed), JSON, QoS 1, kept in the outbox like the weights. */
    public String event() {
        return "scale/" + deviceId + "/event";
    }

    /** Retained JSON, every minute and when its problems change: its problems, rejected samples, zero shift. */
    public String diagnostics() {
        return "scale/" + deviceId + "/diagnostics";
    }

    /** JSON commands to the scale. */
    public String command() {
        return "scale/" + deviceId + "/command";
    }

    /** One JSON result per command. */
    public String commandResult() {
        return command() + "/result";
    }
}
