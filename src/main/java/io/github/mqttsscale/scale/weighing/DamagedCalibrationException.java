package io.github.mqttsscale.scale.weighing;

import java.nio.file.Path;

/** The calibration file is there but holds no calibration that can be trusted. */
public class DamagedCalibrationException extends RuntimeException {

    private final transient Path file;
    private final String what;

    public DamagedCalibrationException(Path file, String what, Throwable cause) {
        super(file + " is damaged: " + what, cause);
        this.file = file;
        this.what = what;
    }

    public Path file() {
        return file;
    }

    /** What is wrong with it, naming the key and line when one is to blame. */
    public String what() {
        return what;
    }
}
