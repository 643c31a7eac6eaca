package io.github.mqttsscale.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.scale.cli.DeviceAccess.Facts;
import io.github.mqttsscale.scale.cli.DeviceAccess.Kind;

/** What {@code mqtts-scale check} says when a GPIO chip or SPI device exists but the user may not open it. */
class DeviceAccessTest {

    private static final Path CHIP = Path.of("/dev/gpiochip0");

    @TempDir
    Path system;

    @Test
    void readsGroupsMembershipAndRulesFromTheSystemFiles() throws IOException {
        Path group = Files.writeString(system.resolve("group"), "root:x:0:\ngpio:x:997:pi,mqtts-scale\nspi:x:996:\n");
        Path passwd = Files.writeString(system.resolve("passwd"),
                "pi:x:1000:1000::/home/pi:/bin/bash\nmqtts-scale:x:998:998::/var/lib/mqtts-scale:/usr/sbin/nologin\n"
                        + "spiuser:x:999:996::/:/usr/sbin/nologin\n");
        Path status = Files.writeString(system.resolve("status"),
                "Name:\tjava\nGid:\t998\t998\t998\t998\nGroups:\t997 998 \n");
        Path rules = Files.writeString(system.resolve("60-mqtts-scale.rules"), "");
        Path device = Files.writeString(system.resolve("gpiochip0"), "");

        Facts gpio = DeviceAccess.facts(device, Kind.GPIO, "mqtts-scale", group, passwd, status, List.of(rules));
        assertThat(gpio.groupExists()).isTrue();
        assertThat(gpio.userInGroup()).isTrue();
        assertThat(gpio.processInGroup()).isTrue();
        assertThat(gpio.rulesInstalled()).isTrue();
        assertThat(gpio.permissions()).isEqualTo("rw-r--r--");

        Facts spi = DeviceAccess.facts(device, Kind.SPI, "mqtts-scale", group, passwd, status,
                List.of(system.resolve("absent.rules")));
        assertThat(spi.groupExists()).isTrue();
        assertThat(spi.userInGroup()).as("not a member of spi").isFalse();
        assertThat(spi.processInGroup()).isFalse();
        assertThat(spi.rulesInstalled()).isFalse();
        assertThat(DeviceAccess.facts(device, Kind.SPI, "spiuser", group, passwd, status, List.of()).userInGroup())
                .as("spi is its primary group").isTrue();

        Files.writeString(group, "root:x:0:\n");
        assertThat(DeviceAccess.facts(device, Kind.GPIO, "pi", group, passwd, status, List.of()).groupExists())
                .isFalse();
    }

    @Test
    void aRootOnlyChipOnPlainDebianWithoutThePackageGetsEveryCommand() {
        String advice = DeviceAccess.advice(
                new Facts(CHIP, "root", "root", "rw-------", "mqtts-scale", false, false, false, false), Kind.GPIO);

        assertThat(advice).startsWith("User mqtts-scale may not open /dev/gpiochip0: /dev/gpiochip0 is root:root"
                + " rw-------, not group gpio with mode 660, so no udev rule gave it to group gpio")
                .contains("Fix: sudo groupadd --system gpio; sudo usermod -aG gpio mqtts-scale; "
                        + "echo 'SUBSYSTEM==\"gpio\", KERNEL==\"gpiochip*\", GROUP=\"gpio\", MODE=\"0660\"' | sudo tee -a"
                        + " /etc/udev/rules.d/60-mqtts-scale.rules; sudo udevadm control --reload-rules;"
                        + " sudo udevadm trigger --action=change --subsystem-match=gpio (or reboot)")
                .endsWith("then sudo systemctl restart mqtts-scale (the service gets its groups when it starts)");
    }

    @Test
    void withThePackageInstalledOnlyUdevMustApplyItsRule() {
        String advice = DeviceAccess.advice(
                new Facts(Path.of("/dev/spidev0.0"), "root", "root", "rw-------", "mqtts-scale", true, true, true,
                        true),
                Kind.SPI);

        assertThat(advice).contains("Fix: sudo udevadm control --reload-rules; sudo udevadm trigger --action=change"
                + " --subsystem-match=spidev (or reboot), which applies the package's rule "
                + "/lib/udev/rules.d/60-mqtts-scale.rules")
                .doesNotContain("groupadd").doesNotContain("usermod").doesNotContain("tee");
    }

    @Test
    void aChipOfGroupGpioNeedsTheUserInTheGroup() {
        String advice = DeviceAccess.advice(
                new Facts(CHIP, "root", "gpio", "rw-rw----", "pi", true, false, false, true),
                Kind.GPIO);

        assertThat(advice)
                .isEqualTo("User pi may not open /dev/gpiochip0 (/dev/gpiochip0 is root:gpio rw-rw----): it is"
                        + " not in group gpio. Fix: sudo usermod -aG gpio pi; then log in again (a login gets its groups when"
                        + " it starts), or sudo systemctl restart mqtts-scale for the service; or run the check as the service"
                        + " user: sudo -u mqtts-scale mqtts-scale check");
    }

    @Test
    void aUserAddedToTheGroupAfterItStartedMustStartAgain() {
        String advice = DeviceAccess.advice(
                new Facts(CHIP, "root", "gpio", "rw-rw----", "mqtts-scale", true, true, false, true), Kind.GPIO);

        assertThat(advice).startsWith("User mqtts-scale is in group gpio (/dev/gpiochip0 is root:gpio rw-rw----), but"
                + " this program was started before it was added. Fix: sudo systemctl restart mqtts-scale");
    }
}
