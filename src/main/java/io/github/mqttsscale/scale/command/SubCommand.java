package io.github.mqttsscale.scale.command;

import java.io.PrintStream;

/** Something {@code mqtts-scale <name> [--setting=value ...]} runs instead of the scale. */
@FunctionalInterface
public interface SubCommand {

    /**
     * @param args the arguments after the command's name (Spring-style settings, e.g. {@code --scale.hx711.data-pin=17})
     * @param out  where the command reports to the person who ran it
     * @return the process exit code: 0 all good, 1 problems found, 2 unusable settings
     */
    int run(String[] args, PrintStream out);
}
