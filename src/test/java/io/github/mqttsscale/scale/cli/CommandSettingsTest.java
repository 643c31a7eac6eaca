package io.github.mqttsscale.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The settings of a sub-command ({@code mqtts-scale check|calibrate}). */
class CommandSettingsTest {

    @AfterEach
    void noAotMode() {
        System.clearProperty("spring.aot.enabled");
    }

    /**
     * The recommended launch runs the jar in Spring AOT mode, and {@code mqtts-scale check} goes through the same
     * launcher: the jar's AOT code is the scale's context (web, Camel, broker), which a sub-command must not build.
     */
    @Test
    void readsTheSettingsWhenTheJarRunsInAotMode() {
        System.setProperty("spring.aot.enabled", "true");

        CommandSettings settings = CommandSettings
                .load(new String[]{"--scale.sensor=simulated", "--scale.hx711.rate=80"});

        assertThat(settings.simulated()).isTrue();
        assertThat(settings.scale().hx711().rate()).isEqualTo(80);
    }
}
