package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** A weight shows in steps of the scale's division e, as a scale's display shows it. */
class DivisionTest {

    @Test
    void aWeightIsRoundedHalfUpToTheNearestMultipleOfTheDivisionWithItsDecimals() {
        Division fiveGrams = division("0.005");
        assertThat(fiveGrams.round(new BigDecimal("2.5037"))).hasToString("2.505");
        assertThat(fiveGrams.round(new BigDecimal("2.5024"))).hasToString("2.500");
        assertThat(fiveGrams.round(new BigDecimal("2.5025"))).as("half up").hasToString("2.505");
        assertThat(fiveGrams.round(new BigDecimal("-0.0031"))).hasToString("-0.005");

        assertThat(division("0.01").round(new BigDecimal("2.5"))).hasToString("2.50");
        assertThat(division("0.1").round(new BigDecimal("12.46"))).hasToString("12.5");
        assertThat(division("1").round(new BigDecimal("12.5"))).hasToString("13");
    }

    @Test
    void theDefaultDivisionKeepsTodaysGrams() {
        assertThat(division(null).round(new BigDecimal("2.5"))).hasToString("2.500");
    }

    /** The step's bean as each scale's routes make it, from the scale's settings. */
    private static Division division(String divisionKg) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("scale.device-id", "shelf",
                "scale.data-dir", "data", "scale.routes-dir", "routes"));
        if (divisionKg != null) {
            settings.put("scale.division-kg", divisionKg);
        }
        ScaleProperties scale = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("scale", ScaleProperties.class);
        return new Division(new Scale("shelf", "", scale, "scale/shelf/weight", null, null, null, null, null, null,
                null, Optional.empty(), null, null));
    }
}
