package io.github.mqttsscale.scale.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Maps the first argument to a sub-command that runs instead of the scale, before Spring starts the web
 * server and the broker connection: {@code java -jar mqtts-scale.jar check}. One line per sub-command; the settings
 * are read here for all of them (exit code 2 when they cannot be used).
 */
public final class SubCommands {

    private static final Map<String, SubCommand> COMMANDS = new LinkedHashMap<>();
    private static final String HASH_PASSWORD = "hash-password";

    static {
        COMMANDS.put("check", (settings, in, out) -> HardwareCheck.run(settings, out));
        COMMANDS.put("calibrate", CalibrateCommand::run);
    }

    private SubCommands() {
    }

    /**
     * Runs the sub-command the first argument names.
     *
     * @return its exit code, or empty when the arguments start the scale (no arguments, or settings only)
     */
    public static OptionalInt run(String[] args, InputStream in, PrintStream out) {
        if (args.length == 0 || args[0].startsWith("-")) {
            return OptionalInt.empty();
        }
        if (HASH_PASSWORD.equals(args[0])) { // needs no settings: it may come before they are complete
            return OptionalInt.of(HashPassword.run(in == System.in ? System.console() : null, in, out));
        }
        SubCommand command = COMMANDS.get(args[0]);
        if (command == null) {
            out.println("Unknown command '" + args[0] + "'. Usage: mqtts-scale [" + String.join("|", COMMANDS.keySet())
                    + "|" + HASH_PASSWORD + "] [--setting=value ...]; without a command it runs the scale.");
            return OptionalInt.of(2);
        }
        CommandSettings settings;
        try {
            settings = CommandSettings.load(Arrays.copyOfRange(args, 1, args.length));
        } catch (RuntimeException e) {
            out.println("mqtts-scale " + args[0] + ": the settings cannot be used: " + CommandSettings.problem(e));
            return OptionalInt.of(2);
        }
        return OptionalInt.of(command.run(settings, in, out));
    }
}
