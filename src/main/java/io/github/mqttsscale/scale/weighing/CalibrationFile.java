package io.github.mqttsscale.scale.weighing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.DurableFile;
import io.github.mqttsscale.scale.storage.StorageProblem;

/**
 * Tare and calibration in {@code <scale.data-dir>/calibration.properties}, replaced whole on every change
 * ({@link DurableFile}), so a crash or power cut mid-write leaves the previous values, never half a file.
 */
public class CalibrationFile {

    public static final String FILE_NAME = "calibration.properties";
    private static final String OFFSET = "offset";
    private static final String COUNTS_PER_KG = "counts-per-kg";

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
        try {
            file.write(String.format(Locale.ROOT,
                    "# Tare and calibration of the scale, written by mqtts-scale; delete it to go back to%n"
                            + "# scale.calibration.offset and scale.calibration.counts-per-kg%n"
                            + "%s=%d%n%s=%s%n",
                    OFFSET, values.offset(), COUNTS_PER_KG, Double.toString(values.countsPerKg())));
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
            return new CalibrationValues(Integer.parseInt(properties.getProperty(OFFSET, "").trim()),
                    Double.parseDouble(properties.getProperty(COUNTS_PER_KG, "").trim()));
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException(file.path() + " does not hold a valid " + OFFSET + " and "
                    + COUNTS_PER_KG + " (" + e.getMessage() + "): fix or delete it (then the configured "
                    + "scale.calibration values apply, and the scale needs tare and calibration again)", e));
        }
    }
}
