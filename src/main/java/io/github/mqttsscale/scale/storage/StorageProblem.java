package io.github.mqttsscale.scale.storage;

import java.nio.file.AccessDeniedException;
import java.nio.file.Path;

/**
 * Why the data directory cannot be written, what that costs one user of it, and how to fix it: said in health, on
 * the status page and in a refused operation, so that an operator reads the directory and the fix, not an errno.
 *
 * @param state       e.g. {@code data directory /var/lib/mqtts-scale is read-only}
 * @param consequence what does not work meanwhile, e.g. {@code readings are published live only}
 * @param fix         what to do about it
 */
public record StorageProblem(String state, String consequence, String fix) {

    public static StorageProblem of(Path dataDir, Throwable failure, String consequence) {
        String errors = messages(failure);
        String directory = "data directory " + dataDir.toAbsolutePath();
        if (errors.contains("Read-only file system")) {
            return new StorageProblem(directory + " is read-only", consequence,
                    "check the disk or its mount (a disk or SD card with errors is remounted read-only)");
        }
        if (errors.contains("No space left on device") || errors.contains("Disk quota exceeded")) {
            return new StorageProblem(directory + " is full", consequence, "free space on its disk");
        }
        if (hasCause(failure, AccessDeniedException.class) || errors.contains("Permission denied")) {
            String user = System.getProperty("user.name");
            return new StorageProblem(directory + " cannot be written by user " + user, consequence,
                    "give that user write access (sudo chown -R " + user + " " + dataDir.toAbsolutePath() + ")");
        }
        return new StorageProblem(directory + " cannot be written (" + innermost(failure).getMessage() + ")",
                consequence,
                "check the disk and scale.data-dir");
    }

    public String text() {
        return state + ": " + consequence + "; " + fix;
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable innermost(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
