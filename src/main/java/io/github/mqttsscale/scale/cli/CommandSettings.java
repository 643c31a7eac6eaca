package io.github.mqttsscale.scale.cli;

import java.util.stream.Collectors;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.validation.FieldError;

import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.SensorChoice;

/**
 * The scale's settings for a sub-command (with several scales in scale.scales, those of the one scale.device-id
 * names), read exactly as the scale reads them (application.yaml, the
 * config locations, environment variables, {@code --name=value} arguments, validation), in a Spring context
 * that starts nothing else: no web server, no Camel, no broker connection.
 */
public record CommandSettings(ScaleProperties scale, Environment environment) {

    /** @throws RuntimeException when the settings do not bind or validate: {@link #problem} says why */
    public static CommandSettings load(String[] args) {
        // The jar's Spring AOT code (spring.aot.enabled, the recommended launch) builds the scale's context, with its web
        // server, Camel and broker connection; this process only reads settings and then exits.
        System.clearProperty("spring.aot.enabled");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SettingsOnly.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                // the command reports for itself: no framework chatter (a settings error comes back as the exception)
                .properties("logging.level.root=warn", "logging.level.org.springframework=off",
                        "logging.level.com.pi4j.boardinfo=off", "spring.jmx.enabled=false")
                .run(args)) {
            ScaleProperties scale = context.getBean(ScaleProperties.class);
            // with several scales, the one scale.device-id names
            return new CommandSettings(scale.scales().isEmpty() ? scale : scale.onlyScale(scale.deviceId()),
                    context.getEnvironment());
        }
    }

    /** Whether the sensor is the simulator ({@code scale.sensor}, with {@code auto} resolved on this machine). */
    public boolean simulated() {
        return SensorChoice.simulated(environment);
    }

    /** What is wrong with the settings, from the exception {@link #load} threw: one line per broken setting. */
    public static String problem(Throwable e) {
        BindException unbound = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindValidationException invalid) {
                String prefix = invalid.getValidationErrors().getName().toString();
                return invalid.getValidationErrors().getAllErrors().stream()
                        .map(error -> error.getDefaultMessage().contains(prefix + ".")
                                || !(error instanceof FieldError field)
                                        ? error.getDefaultMessage()
                                        : prefix + "." + field.getField() + ": " + error.getDefaultMessage())
                        .collect(Collectors.joining("; "));
            }
            if (unbound == null && cause instanceof BindException bind) {
                unbound = bind;
            }
        }
        if (unbound != null && unbound.getProperty() != null) {
            ConfigurationProperty property = unbound.getProperty();
            return property.getName() + ": cannot use '" + property.getValue() + "'"
                    + (property.getOrigin() == null ? "" : " (from " + property.getOrigin() + ")");
        }
        return unbound != null ? unbound.getMessage() : e.getMessage();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ScaleProperties.class)
    static class SettingsOnly {
    }
}
