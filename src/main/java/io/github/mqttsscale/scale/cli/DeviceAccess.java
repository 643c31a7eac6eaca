package io.github.mqttsscale.scale.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Why a user cannot open a device the HX711 needs (a GPIO chip, an SPI device) and the exact commands that fix it.
 * Raspberry Pi OS gives /dev/gpiochip* to group gpio and /dev/spidev* to group spi by udev rules; plain Debian, Ubuntu
 * and DietPi on a Pi may have neither the groups nor the rules, and the devices are then root's alone. The Debian
 * package brings both (its postinst makes the groups, its rule file is {@value #PACKAGE_RULES}), but its rule only
 * applies to a device already there once udev runs it again.
 */
final class DeviceAccess {

    static final String PACKAGE_RULES = "/lib/udev/rules.d/60-mqtts-scale.rules";

    /** What decides whether {@code user} may open {@code device}, read from the system. */
    record Facts(Path device, String owner, String group, String permissions, String user, boolean groupExists,
            boolean userInGroup, boolean processInGroup, boolean rulesInstalled) {
    }

    /** The device's kind: its group, its udev subsystem and kernel name pattern. */
    enum Kind {
        GPIO("gpio", "gpio", "gpiochip*"),
        SPI("spi", "spidev", "spidev*");

        final String group;
        final String subsystem;
        final String kernel;

        Kind(String group, String subsystem, String kernel) {
            this.group = group;
            this.subsystem = subsystem;
            this.kernel = kernel;
        }
    }

    private DeviceAccess() {
    }

    static Facts facts(Path device, Kind kind, String user) {
        return facts(device, kind, user, Path.of("/etc/group"), Path.of("/etc/passwd"), Path.of("/proc/self/status"),
                List.of(Path.of(PACKAGE_RULES), Path.of("/usr" + PACKAGE_RULES)));
    }

    static Facts facts(Path device, Kind kind, String user, Path etcGroup, Path etcPasswd, Path procStatus,
            List<Path> rules) {
        String owner = "?";
        String group = "?";
        String permissions = "?";
        try {
            PosixFileAttributes attributes = Files.readAttributes(device, PosixFileAttributes.class);
            owner = attributes.owner().getName();
            group = attributes.group().getName();
            permissions = PosixFilePermissions.toString(attributes.permissions());
        } catch (IOException | UnsupportedOperationException e) {
            // unknown: the advice says what it can without them
        }
        Optional<String[]> groupEntry = entry(etcGroup, kind.group);
        String gid = groupEntry.map(g -> g[2]).orElse(null);
        boolean userInGroup = groupEntry.isPresent()
                && (groupEntry.get().length > 3 && Arrays.asList(groupEntry.get()[3].split(",")).contains(user)
                        || entry(etcPasswd, user).map(p -> p[3].equals(gid)).orElse(false));
        boolean processInGroup = gid != null && lines(procStatus).stream()
                .filter(line -> line.startsWith("Groups:") || line.startsWith("Gid:"))
                .flatMap(line -> Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                .anyMatch(gid::equals);
        return new Facts(device, owner, group, permissions, user, groupEntry.isPresent(), userInGroup,
                processInGroup, rules.stream().anyMatch(Files::exists));
    }

    /** The problem and its fix, in commands to copy. */
    static String advice(Facts facts, Kind kind) {
        String device = facts.device().toString();
        String seen = device + " is " + facts.owner() + ":" + facts.group() + " " + facts.permissions();
        boolean groupMayOpen = facts.permissions().length() == 9 && facts.permissions().startsWith("rw", 3);
        if (!facts.group().equals(kind.group) || !groupMayOpen) {
            StringBuilder fix = new StringBuilder("User " + facts.user() + " may not open " + device + ": " + seen
                    + ", not group " + kind.group + " with mode 660, so no udev rule gave it to group " + kind.group
                    + " (Raspberry Pi OS has one; plain Debian, Ubuntu and DietPi may not). Fix: ");
            if (!facts.groupExists()) {
                fix.append("sudo groupadd --system ").append(kind.group).append("; ");
            }
            if (!facts.userInGroup()) {
                fix.append("sudo usermod -aG ").append(kind.group).append(' ').append(facts.user()).append("; ");
            }
            if (!facts.rulesInstalled()) {
                fix.append("echo 'SUBSYSTEM==\"").append(kind.subsystem).append("\", KERNEL==\"").append(kind.kernel)
                        .append("\", GROUP=\"").append(kind.group).append("\", MODE=\"0660\"' | sudo tee -a ")
                        .append("/etc/udev/rules.d/60-mqtts-scale.rules; ");
            }
            fix.append("sudo udevadm control --reload-rules; sudo udevadm trigger --action=change --subsystem-match=")
                    .append(kind.subsystem).append(" (or reboot)");
            if (facts.rulesInstalled()) {
                fix.append(", which applies the package's rule ").append(PACKAGE_RULES);
            }
            return fix.append("; then ").append(restart(facts)).toString();
        }
        if (!facts.userInGroup()) {
            return "User " + facts.user() + " may not open " + device + " (" + seen + "): it is not in group "
                    + kind.group + ". Fix: sudo usermod -aG " + kind.group + " " + facts.user() + "; then "
                    + restart(facts)
                    + (facts.user().equals("mqtts-scale")
                            ? ""
                            : "; or run the check as the service user: sudo -u mqtts-scale mqtts-scale check");
        }
        if (!facts.processInGroup()) {
            return "User " + facts.user() + " is in group " + kind.group + " (" + seen
                    + "), but this program was started"
                    + " before it was added. Fix: " + restart(facts);
        }
        return "User " + facts.user() + " may not open " + device + " (" + seen + ") although it is in group "
                + kind.group + ": an ACL or a security module refuses it; see getfacl " + device
                + " and the kernel log";
    }

    private static String restart(Facts facts) {
        return facts.user().equals("mqtts-scale")
                ? "sudo systemctl restart mqtts-scale (the service gets its groups when it starts)"
                : "log in again (a login gets its groups when it starts), or sudo systemctl restart mqtts-scale"
                        + " for the service";
    }

    private static Optional<String[]> entry(Path file, String name) {
        return lines(file).stream().map(line -> line.split(":", -1))
                .filter(fields -> fields.length >= 4 && fields[0].equals(name)).findFirst();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
