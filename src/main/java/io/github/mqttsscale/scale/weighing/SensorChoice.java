package io.github.mqttsscale.scale.weighing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

import io.github.mqttsscale.hx711.Hx711Simulator;

/** Resolves {@code scale.sensor=auto}: the real HX711 on a Raspberry Pi, the simulator anywhere else. */
public final class SensorChoice {

    private static final Logger LOG = LoggerFactory.getLogger(SensorChoice.class);
    private static final Path DEVICE_TREE_MODEL = Path.of("/proc/device-tree/model");

    private SensorChoice() {
    }

    public static boolean simulated(Environment environment) {
        String configured = environment.getProperty("scale.sensor", "auto").trim().toLowerCase(Locale.ROOT);
        return switch (configured) {
            case "simulated" -> true;
            case "hx711" -> false;
            default -> {
                String model = raspberryPiModel();
                if (model == null) {
                    LOG.warn("No Raspberry Pi found ({} does not name one): reading the SIMULATED HX711. "
                            + "Set scale.sensor=hx711 to use a real one, or scale.sensor=simulated to silence this warning.",
                            DEVICE_TREE_MODEL);
                    yield true;
                }
                LOG.info("Running on a {}: reading the HX711 on its GPIO pins", model);
                yield false;
            }
        };
    }

    /** The simulated HX711 as the settings describe it (rate, load on it, noise). */
    public static Hx711Simulator newSimulator(ScaleProperties scale) {
        return scale.simulator().newSimulator(scale.hx711());
    }

    private static String raspberryPiModel() {
        try {
            String model = Files.readString(DEVICE_TREE_MODEL, StandardCharsets.US_ASCII).replace("\0", "").trim();
            return model.contains("Raspberry Pi") ? model : null;
        } catch (IOException e) {
            return null;
        }
    }
}
