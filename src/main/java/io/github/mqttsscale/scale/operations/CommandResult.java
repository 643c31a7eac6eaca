package io.github.mqttsscale.scale.operations;

/**
 * The answer on {@code scale/<device-id>/command/result} to one command.
 *
 * @param command   the command as given, null when the message was not a command at all
 * @param ok        whether it was done
 * @param reason    what was done, or why not
 * @param timestamp ISO-8601 UTC
 */
public record CommandResult(String command, boolean ok, String reason, String timestamp) {

    public static CommandResult done(String command, String what) {
        return new CommandResult(command, true, what, java.time.Instant.now().toString());
    }

    public static CommandResult refused(String command, String why) {
        return new CommandResult(command, false, why, java.time.Instant.now().toString());
    }
}
