package io.github.mqttsscale.scale.temperature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A DS18B20 on the 1-Wire bus, read through the Linux w1-therm driver: each sensor is a folder
 * {@code <devices-dir>/28-<serial>} (28 is the DS18B20's family code) holding {@code temperature} (millidegrees, newer
 * kernels) or only {@code w1_slave} (older kernels: the scratchpad with {@code crc=.. YES|NO}, then {@code t=}
 * millidegrees). Reading a file makes the sensor convert, which takes up to 750 ms: the route read-temperature, not
 * the weighing, waits for it.
 */
public final class Ds18b20 implements TemperatureSensor {

    /** The DS18B20's 1-Wire family code, the start of its folder's name. */
    static final String FAMILY = "28-";
    /** What the sensor's register holds after power-on, before a conversion: a failed read, not a temperature. */
    static final int POWER_ON_MILLIDEGREES = 85000;
    /** The DS18B20's range (datasheet), in millidegrees: beyond it a reading is garbage from the bus. */
    private static final int LOWEST_MILLIDEGREES = -55000;
    private static final int HIGHEST_MILLIDEGREES = 125000;
    static final String WHAT_TO_CHECK = "check that /boot/firmware/config.txt has dtoverlay=w1-gpio (then reboot) "
            + "and the wiring: the sensor's data line on BCM 4 (pin 7) with a 4.7 kΩ pull-up to 3.3 V, its VDD on "
            + "3.3 V and GND on ground";
    private static final Pattern CRC = Pattern.compile("crc=\\p{XDigit}{2} (YES|NO)");
    private static final Pattern MILLIDEGREES = Pattern.compile("t=(-?\\d+)");

    private final Path devicesDir;
    private final String device;

    /**
     * @param devicesDir where the w1 driver shows the 1-Wire devices (scale.temperature.ds18b20.devices-dir)
     * @param device     the sensor's folder name (28-...), or null for the only DS18B20 there is
     */
    public Ds18b20(Path devicesDir, String device) {
        this.devicesDir = devicesDir;
        this.device = device == null || device.isBlank() ? null : device.strip();
    }

    @Override
    public String describe() {
        return "DS18B20 " + (device != null ? device : "in " + devicesDir);
    }

    @Override
    public double readC() {
        Path folder = folder();
        String id = folder.getFileName().toString();
        Path temperature = folder.resolve("temperature");
        if (Files.exists(temperature)) {
            String text = read(id, temperature).strip();
            try {
                return celsius(id, Integer.parseInt(text));
            } catch (NumberFormatException e) {
                throw new TemperatureSensorException(
                        String.format(Locale.ROOT, "DS18B20 %s: %s holds \"%s\", not a temperature in millidegrees; %s",
                                id, temperature, text, WHAT_TO_CHECK));
            }
        }
        Path slave = folder.resolve("w1_slave");
        if (Files.exists(slave)) {
            return fromW1Slave(id, slave, read(id, slave));
        }
        throw new TemperatureSensorException(String.format(Locale.ROOT, "%s has neither temperature nor w1_slave: "
                + "the w1-therm driver does not read it (is it a DS18B20? sudo modprobe w1-therm)", folder));
    }

    /** The sensor's folder: the configured one, or the only DS18B20 on the bus. */
    private Path folder() {
        if (!Files.isDirectory(devicesDir)) {
            throw new TemperatureSensorException(String.format(Locale.ROOT,
                    "no 1-Wire bus: %s does not exist (scale.temperature.ds18b20.devices-dir); add "
                            + "dtoverlay=w1-gpio to /boot/firmware/config.txt and reboot",
                    devicesDir));
        }
        List<String> found = sensorsOnTheBus();
        if (device != null) {
            Path folder = devicesDir.resolve(device);
            if (!Files.isDirectory(folder)) {
                throw new TemperatureSensorException(String.format(Locale.ROOT,
                        "no DS18B20 %s in %s (scale.temperature.ds18b20.device); the bus has %s; %s", device,
                        devicesDir, found.isEmpty() ? "none" : String.join(", ", found), WHAT_TO_CHECK));
            }
            return folder;
        }
        if (found.isEmpty()) {
            throw new TemperatureSensorException(String.format(Locale.ROOT,
                    "no DS18B20 in %s (no 28-* folder): the sensor is not found on the 1-Wire bus; %s", devicesDir,
                    WHAT_TO_CHECK));
        }
        if (found.size() > 1) {
            throw new TemperatureSensorException(String.format(Locale.ROOT,
                    "several DS18B20 in %s: %s; choose the one next to the load cell with "
                            + "scale.temperature.ds18b20.device",
                    devicesDir, String.join(", ", found)));
        }
        return devicesDir.resolve(found.get(0));
    }

    private List<String> sensorsOnTheBus() {
        try (Stream<Path> entries = Files.list(devicesDir)) {
            return entries.map(entry -> entry.getFileName().toString()).filter(name -> name.startsWith(FAMILY))
                    .sorted().toList();
        } catch (IOException e) {
            throw new TemperatureSensorException(
                    String.format(Locale.ROOT, "cannot list %s: %s", devicesDir, e.getMessage()), e);
        }
    }

    private static String read(String id, Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // the driver answers a read of a sensor that went away with an I/O error
            throw new TemperatureSensorException(String.format(Locale.ROOT,
                    "DS18B20 %s does not answer: reading %s failed (%s); %s", id, file, e.getMessage(), WHAT_TO_CHECK),
                    e);
        }
    }

    /** Older kernels: line 1 the scratchpad and "crc=xx YES" for a good read, line 2 the scratchpad and "t=21437". */
    private static double fromW1Slave(String id, Path slave, String text) {
        Matcher crc = CRC.matcher(text);
        Matcher millidegrees = MILLIDEGREES.matcher(text);
        if (!crc.find() || !millidegrees.find()) {
            throw new TemperatureSensorException(String.format(Locale.ROOT,
                    "DS18B20 %s: %s does not hold a reading (\"%s\"); %s", id, slave, text.strip(), WHAT_TO_CHECK));
        }
        if (!"YES".equals(crc.group(1))) {
            throw new TemperatureSensorException(String.format(Locale.ROOT,
                    "DS18B20 %s: the reading failed its CRC check (w1_slave says NO): a loose contact, or a long wire "
                            + "without the 4.7 kΩ pull-up from the data line (BCM 4, pin 7) to 3.3 V",
                    id));
        }
        return celsius(id, Integer.parseInt(millidegrees.group(1)));
    }

    private static double celsius(String id, int millidegrees) {
        if (millidegrees == POWER_ON_MILLIDEGREES) {
            throw new TemperatureSensorException(String.format(Locale.ROOT,
                    "DS18B20 %s reads 85 °C, its power-on value: it did not convert (too little power: VDD on 3.3 V, "
                            + "or the 4.7 kΩ pull-up for parasite power); %s",
                    id, WHAT_TO_CHECK));
        }
        if (millidegrees < LOWEST_MILLIDEGREES || millidegrees > HIGHEST_MILLIDEGREES) {
            throw new TemperatureSensorException(String.format(Locale.ROOT,
                    "DS18B20 %s reads %.3f °C, outside its range of -55 to 125 °C: a garbled read; %s", id,
                    millidegrees / 1000.0, WHAT_TO_CHECK));
        }
        return millidegrees / 1000.0;
    }
}
