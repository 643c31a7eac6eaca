package io.github.mqttsscale.scale;

import java.util.OptionalInt;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.github.mqttsscale.scale.cli.SubCommands;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ScaleApplication {

    /** {@code mqtts-scale [--setting=value ...]} runs the scale; {@code mqtts-scale check|calibrate ...} a sub-command. */
    public static void main(String[] args) {
        OptionalInt subCommandExit = SubCommands.run(args, System.in, System.out);
        if (subCommandExit.isPresent()) {
            System.exit(subCommandExit.getAsInt());
        }
        SpringApplication.run(ScaleApplication.class, args);
    }
}
