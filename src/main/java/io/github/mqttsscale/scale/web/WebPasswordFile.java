package io.github.mqttsscale.scale.web;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web login password kept in a file readable only by its owner, for when no
 * {@code spring.security.user.password} is configured. Generated once, reused on later starts; a password
 * written into the file by hand is used as well.
 */
final class WebPasswordFile {

    private static final Logger LOG = LoggerFactory.getLogger(WebPasswordFile.class);
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebPasswordFile() {
    }

    /**
     * The password in {@code file}; when the file is missing or empty, a new random one written into it. Empty when
     * no password can be kept there (a read-only or full data directory): nobody would learn a password that is not
     * saved, so the caller locks the web login instead of stopping the scale.
     */
    static Optional<String> readOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String existing = Files.readString(file).strip();
                if (!existing.isEmpty()) {
                    restrictToOwner(file);
                    return Optional.of(existing);
                }
            }
            return Optional.of(create(file));
        } catch (IOException e) {
            LOG.error(
                    "Cannot keep a web password in {} ({}): the status page and Hawtio refuse every login until the data"
                            + " directory is writable again, or until spring.security.user.password is set (the package:"
                            + " SPRING_SECURITY_USER_PASSWORD in /etc/mqtts-scale/secrets.env). Weighing and publishing go on.",
                    file, e.getMessage());
            return Optional.empty();
        }
    }

    /** A password nobody knows: the web login while none can be kept. */
    static String unknowable() {
        return newPassword();
    }

    private static String create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } else {
            Files.createDirectories(dir);
        }
        String password = newPassword();
        // written under a temporary name first, so a crash never leaves a half-written password behind
        Path tmp = Files.createTempFile(dir, ".web-password", ".tmp");
        try {
            if (POSIX) {
                Files.setPosixFilePermissions(tmp, FILE_MODE);
            }
            Files.writeString(tmp, password + System.lineSeparator());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return password;
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (POSIX && !Files.getPosixFilePermissions(file).equals(FILE_MODE)) {
            LOG.warn("{} was readable by others; its mode is now 600", file);
            Files.setPosixFilePermissions(file, FILE_MODE);
        }
    }
}
