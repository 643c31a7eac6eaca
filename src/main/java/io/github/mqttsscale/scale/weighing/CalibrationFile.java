package io.github.mqttsscale.scale.weighing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.DurableFile;
import io.github.mqttsscale.scale.storage.StorageProblem;

/**
 * Tare and calibration in {@code <scale.data-dir>/calibration.properties}: the offset, the known weights, zero
 * tracking's shift and a learned temperature model (a file written before these had only the offset and one
 * counts-per-kg, and still loads). Replaced whole on every change
 * ({@link DurableFile}), so a crash or power cut mid-write leaves the previous values, never half a file. Its first
 * line is a check of the rest: a byte changed on the SD card or a file cut short is found at load, not taken as a
 * calibration.
 */
public class CalibrationFile {

    public static final String FILE_NAME = "calibration.properties";
    private static final String OFFSET = "offset";
    private static final String COUNTS_PER_KG = "counts-per-kg";
    private static final String ZERO_SHIFT_KG = "zero-shift-kg";
    private static final String DRIFT = "temperature.zero-drift-kg-per-c";
    private static final String LAG = "temperature.lag";
    private static final String REFERENCE = "temperature.reference-c";
    /** The first line: a CRC-32 of everything after it, so a changed byte or a file cut short is found. */
    private static final String CHECK = "check";
    private static final String DAMAGED = FILE_NAME + ".damaged";

    private final Path dataDir;
    private final DurableFile file;

    public CalibrationFile(Path dataDir) {
        this(dataDir, Disk.REAL);
    }

    public CalibrationFile(Path dataDir, Disk disk) {
        this.dataDir = dataDir;
        this.file = new DurableFile(dataDir.resolve(FILE_NAME), disk);
    }

    /**
     * The saved values; empty when there is no file.
     *
     * @throws DamagedCalibrationException naming the file, the line and what is wrong with it, when it does not hold
     *                                     a calibration that can be trusted: a changed byte (its check does not match),
     *                                     cut short, a value that is missing or not a number
     * @throws java.io.UncheckedIOException when it cannot be read at all
     */
    public Optional<CalibrationValues> load() {
        return file.read().map(this::parse);
    }

    /**
     * Moves a damaged file out of the way, to {@code calibration.properties.damaged} (or {@code .damaged-2}, ... when
     * one is there already), so that the user can look at it and no later save replaces it unseen.
     *
     * @return where it is now
     * @throws java.io.UncheckedIOException when it cannot be moved
     */
    public Path setAside() {
        Path aside = dataDir.resolve(DAMAGED);
        for (int i = 2; Files.exists(aside); i++) {
            aside = dataDir.resolve(DAMAGED + "-" + i);
        }
        try {
            return Files.move(file.path(), aside);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + file.path() + " to " + aside + ": " + e.getMessage(), e);
        }
    }

    /**
     * The damaged files set aside at an earlier start, oldest name first: while there are some and no new calibration
     * was saved, the configured first-run values are not taken as the scale's calibration.
     */
    public List<Path> setAsideBefore() {
        if (!Files.isDirectory(dataDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(path -> path.getFileName().toString().startsWith(DAMAGED)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dataDir + ": " + e.getMessage(), e);
        }
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
        String body = text.toString();
        try {
            file.write(String.format(Locale.ROOT, "%s=%08x%n", CHECK, crc(body)) + body);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(StorageProblem.of(dataDir, e, "tare and calibration cannot be saved, so "
                    + "they are refused (the scale goes on with the tare and calibration it has)").text(), e);
        }
    }

    public Path path() {
        return file.path();
    }

    /**
     * A file written with a check (the first line) must match it; one without (written before the check, or by hand)
     * is taken as it reads.
     */
    private CalibrationValues parse(String text) {
        Properties properties = new Properties();
        try {
            checkSum(text);
            properties.load(new StringReader(text));
            int offset = number(properties, text, OFFSET, Integer::parseInt);
            List<CalibrationPoint> points = new ArrayList<>();
            for (int i = 1; properties.containsKey("point." + i + ".kg"); i++) {
                points.add(new CalibrationPoint(number(properties, text, "point." + i + ".counts", Double::parseDouble),
                        number(properties, text, "point." + i + ".kg", Double::parseDouble)));
            }
            if (points.isEmpty()) { // written before multi-point calibration: one slope
                return new CalibrationValues(offset, number(properties, text, COUNTS_PER_KG, Double::parseDouble));
            }
            TemperatureModel temperature = properties.containsKey(DRIFT)
                    ? new TemperatureModel(number(properties, text, DRIFT, Double::parseDouble),
                            number(properties, text, LAG, Duration::parse),
                            number(properties, text, REFERENCE, Double::parseDouble))
                    : null;
            double zeroShiftKg = properties.containsKey(ZERO_SHIFT_KG)
                    ? number(properties, text, ZERO_SHIFT_KG, Double::parseDouble)
                    : 0;
            return new CalibrationValues(offset, points, zeroShiftKg, temperature);
        } catch (IOException | RuntimeException e) {
            throw new DamagedCalibrationException(file.path(), e.getMessage(), e);
        }
    }

    private static void checkSum(String text) {
        if (!text.startsWith(CHECK + "=")) {
            return;
        }
        int end = text.indexOf('\n');
        String saved = (end < 0 ? text : text.substring(0, end)).substring(CHECK.length() + 1).strip();
        String body = end < 0 ? "" : text.substring(end + 1);
        if (!saved.equals(String.format(Locale.ROOT, "%08x", crc(body)))) {
            throw new IllegalArgumentException("its check (line 1) does not match what follows: a byte changed or the "
                    + "file was cut short since the scale wrote it (an SD card error, a power cut, or an edit by hand: "
                    + "after an edit by hand, delete line 1)");
        }
    }

    private static long crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /** The value of {@code key} as {@code parser} reads it, or an error naming the key and its line. */
    private static <T> T number(Properties properties, String text, String key, Function<String, T> parser) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is missing");
        }
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + "=" + value.trim() + " on line " + lineOf(text, key)
                    + " is not a valid value", e);
        }
    }

    private static int lineOf(String text, String key) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith(key + "=")) {
                return i + 1;
            }
        }
        return 0;
    }
}
