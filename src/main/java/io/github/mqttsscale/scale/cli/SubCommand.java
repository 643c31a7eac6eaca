package io.github.mqttsscale.scale.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** Something {@code mqtts-scale <name> [--setting=value ...]} runs instead of the scale. */
@FunctionalInterface
public interface SubCommand {

    /**
     * @param settings the scale's settings, with the arguments after the command's name (e.g.
     *                 {@code --scale.hx711.data-pin=17}) applied
     * @param in       what the person who ran it types (the guided calibration asks questions)
     * @param out      where the command reports to that person
     * @return the process exit code: 0 all good, 1 problems found or stopped
     */
    int run(CommandSettings settings, InputStream in, PrintStream out);
}
