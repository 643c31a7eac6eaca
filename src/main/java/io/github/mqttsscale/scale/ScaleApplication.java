package io.github.mqttsscale.scale;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ScaleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ScaleApplication.class, args);
    }
}
