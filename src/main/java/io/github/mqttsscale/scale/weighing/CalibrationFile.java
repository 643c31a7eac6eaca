package io.github.mqttsscale.scale.weighing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.DurableFile;
import io.github.mqttsscale.scale.storage.StorageProblem;

/**
 * Tare and calibration in {@code <scale.data-dir>/calibration.properties}: the offset, the known weights, zero
 * tracking's shift and a learned temperature model (a file written before these had only the offset and one
 * counts-per-kg, and still loads). Replaced whole on every change
 * ({@link DurableFile}), so a crash or power cut mid-write leaves the previous values, never half a file.
 */
public class CalibrationFile {

    public static final String FILE_NAME = "calibration.properties";
    private static final String OFFSET = "offset";
    private static final String COUNTS_PER_KG = "counts-per-kg";
    private static final String ZERO_SHIFT_KG = "zero-shift-kg";
    private static final String DRIFT = "temperature.zero-drift-kg-per-c";
    private static final String LAG = "temperature.lag";
    private static final String REFERENCE = "temperature.reference-c";

    private final Path dataDir;
    private final DurableFile file;

    public CalibrationFile(Path dataDir) {
        this(dataDir, Disk.REAL);
    }

    public CalibrationFile(Path dataDir, Disk disk) {
        this.dataDir = dataDir;
        this.file = new DurableFile(dataDir.resolve(FILE_NAME), disk);
    }

    public Optional<CalibrationValues> load() {
        return file.read().map(this::parse);
    }

    /**
     * @throws IllegalStateException naming the data directory and the fix, when it cannot be written: a tare or
     *                               calibration that would be gone after a restart is refused, not done in memory only
     */
    public void save(CalibrationValues values) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "# Tare and calibration of the scale, written by mqtts-scale; delete it to go back to%n"
                        + "# scale.calibration.offset and scale.calibration.counts-per-kg%n"
                        + "%s=%d%n%s=%s%n",
                OFFSET, values.offset(), COUNTS_PER_KG, Double.toString(values.countsPerKg())));
        text.append(String.format(Locale.ROOT, "# the known weights: kg, and counts above the offset%n"));
        for (int i = 0; i < values.points().size(); i++) {
            CalibrationPoint point = values.points().get(i);
            text.append(String.format(Locale.ROOT, "point.%d.kg=%s%npoint.%d.counts=%s%n", i + 1,
                    Double.toString(point.kg()), i + 1, Double.toString(point.counts())));
        }
        text.append(String.format(Locale.ROOT, "# automatic zero tracking's shift since the last tare or calibration%n"
                + "%s=%s%n", ZERO_SHIFT_KG, Double.toString(values.zeroShiftKg())));
        TemperatureModel temperature = values.temperature();
        if (temperature != null) {
            text.append(String.format(Locale.ROOT, "# the learned temperature model (learn-temperature)%n"
                    + "%s=%s%n%s=%s%n%s=%s%n", DRIFT, Double.toString(temperature.zeroDriftKgPerC()), LAG,
                    temperature.lag(), REFERENCE, Double.toString(temperature.referenceC())));
        }
        try {
            file.write(text.toString());
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(StorageProblem.of(dataDir, e, "tare and calibration cannot be saved, so "
                    + "they are refused (the scale goes on with the tare and calibration it has)").text(), e);
        }
    }

    public Path path() {
        return file.path();
    }

    private CalibrationValues parse(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
            int offset = Integer.parseInt(required(properties, OFFSET));
            List<CalibrationPoint> points = new ArrayList<>();
            for (int i = 1; properties.containsKey("point." + i + ".kg"); i++) {
                points.add(new CalibrationPoint(Double.parseDouble(required(properties, "point." + i + ".counts")),
                        Double.parseDouble(required(properties, "point." + i + ".kg"))));
            }
            if (points.isEmpty()) { // written before multi-point calibration: one slope
                return new CalibrationValues(offset, Double.parseDouble(required(properties, COUNTS_PER_KG)));
            }
            TemperatureModel temperature = properties.containsKey(DRIFT)
                    ? new TemperatureModel(Double.parseDouble(required(properties, DRIFT)),
                            Duration.parse(required(properties, LAG)),
                            Double.parseDouble(required(properties, REFERENCE)))
                    : null;
            return new CalibrationValues(offset, points,
                    Double.parseDouble(properties.getProperty(ZERO_SHIFT_KG, "0").trim()), temperature);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException(file.path() + " does not hold a valid calibration ("
                    + e.getMessage() + "): fix or delete it (then the configured scale.calibration values apply, and "
                    + "the scale needs tare and calibration again)", e));
        }
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return value.trim();
    }
}
