package io.github.mqttsscale.scale.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code java -jar mqtts-scale.jar <name> [--setting=value...]} runs instead of the scale. Adding a
 * sub-command is one line in {@link #COMMANDS}.
 */
public final class SubCommands {

    /** A sub-command: the arguments after its name, the terminal; returns the process exit code. */
    @FunctionalInterface
    public interface SubCommand {
        int run(String[] args, InputStream in, PrintStream out);
    }

    private static final Map<String, SubCommand> COMMANDS = new TreeMap<>(Map.of(
            "calibrate", CalibrateCommand::run));

    private SubCommands() {
    }

    /** Whether the first argument names a sub-command (anything else starts the scale). */
    public static boolean isSubCommand(String[] args) {
        return args.length > 0 && COMMANDS.containsKey(args[0]);
    }

    /** Runs the sub-command that {@code args[0]} names. */
    public static int run(String[] args, InputStream in, PrintStream out) {
        return COMMANDS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length), in, out);
    }

    public static Iterable<String> names() {
        return COMMANDS.keySet();
    }
}
