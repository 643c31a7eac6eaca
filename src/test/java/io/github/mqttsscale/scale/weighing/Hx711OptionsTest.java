package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.github.mqttsscale.hx711.Hx711Settings;

/** scale.hx711.* says what the hx711 component says of the chip: its defaults are the component's. */
class Hx711OptionsTest {

    @Test
    void nothingConfiguredIsTheComponentsDefaultChip() {
        Hx711Options nothingSet = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("scale.hx711", Hx711Options.class);

        assertThat(nothingSet.driverSettings()).isEqualTo(Hx711Settings.defaults());
    }
}
