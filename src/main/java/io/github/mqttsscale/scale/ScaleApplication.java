package io.github.mqttsscale.scale;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.github.mqttsscale.scale.cli.SubCommands;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ScaleApplication {

    /** Runs the scale, or the sub-command that the first argument names (see {@link SubCommands}). */
    public static void main(String[] args) {
        if (SubCommands.isSubCommand(args)) {
            System.exit(SubCommands.run(args, System.in, System.out));
        }
        SpringApplication.run(ScaleApplication.class, args);
    }
}
