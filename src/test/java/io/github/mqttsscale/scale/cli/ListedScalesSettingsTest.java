package io.github.mqttsscale.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.scale.weighing.ScaleProperties;

/**
 * scale.scales as the scale binds it: each entry takes what it leaves out from scale.hx711, scale.calibration and
 * scale.simulator, setting by setting; two scales cannot share a device id or an HX711; a sub-command works on the
 * one scale.device-id names.
 */
class ListedScalesSettingsTest {

    @TempDir
    Path dataDir;

    @Test
    void anEntryTakesWhatItLeavesOutFromTheSettingsOfOneScaleSettingBySetting() {
        ScaleProperties keg2 = settings("--scale.device-id=keg-2", "--scale.hx711.rate=80", "--scale.hx711.gain=64",
                "--scale.calibration.counts-per-kg=20000", "--scale.scales[0].device-id=keg-1",
                "--scale.scales[1].device-id=keg-2", "--scale.scales[1].hx711.data-pin=17",
                "--scale.scales[1].hx711.clock-pin=27", "--scale.scales[1].hx711.gain=32",
                "--scale.scales[1].calibration.offset=1000").scale();

        assertThat(keg2.deviceId()).isEqualTo("keg-2");
        assertThat(keg2.hx711().dataPin()).isEqualTo(17);
        assertThat(keg2.hx711().gain()).as("its own").isEqualTo(32);
        assertThat(keg2.hx711().rate()).as("from scale.hx711.rate").isEqualTo(80);
        assertThat(keg2.calibration().offset()).as("its own").isEqualTo(1000);
        assertThat(keg2.calibration().countsPerKg()).as("from scale.calibration").isEqualTo(20000);
        assertThat(keg2.dataDir()).as("a folder of its own").isEqualTo(dataDir.resolve("keg-2"));
    }

    @Test
    void weighingSettingsAreEachScalesOwnOrTakenFromTheSettingsOfOneScale() {
        CommandSettings both = settings("--scale.device-id=keg-2", "--scale.division-kg=0.005",
                "--scale.capacity-kg=50", "--scale.zero-tracking.range-percent=2", "--scale.scales[0].device-id=keg-1",
                "--scale.scales[0].division-kg=0.002", "--scale.scales[0].zero-tracking.enabled=false",
                "--scale.scales[1].device-id=keg-2", "--scale.scales[1].hx711.data-pin=17",
                "--scale.scales[1].hx711.clock-pin=27");
        ScaleProperties keg2 = both.scale();
        assertThat(keg2.divisionKg()).as("from scale.division-kg").isEqualByComparingTo("0.005");
        assertThat(keg2.capacityKg()).isEqualByComparingTo("50");
        assertThat(keg2.zeroTracking().rangePercent()).isEqualTo(2);
        assertThat(keg2.zeroTracking().enabled()).isTrue();
        ScaleProperties keg1 = settings("--scale.device-id=keg-1", "--scale.division-kg=0.005",
                "--scale.scales[0].device-id=keg-1", "--scale.scales[0].division-kg=0.002",
                "--scale.scales[0].zero-tracking.enabled=false", "--scale.scales[1].device-id=keg-2",
                "--scale.scales[1].hx711.data-pin=17", "--scale.scales[1].hx711.clock-pin=27").scale();
        assertThat(keg1.divisionKg()).as("its own").isEqualByComparingTo("0.002");
        assertThat(keg1.zeroTracking().enabled()).as("its own").isFalse();
        assertThat(keg1.eventMinChangeKg()).as("10 of its divisions").isEqualByComparingTo("0.02");
    }

    @Test
    void theOldNameOfTheDivisionStillSetsIt() {
        assertThat(settings("--scale.resolution-kg=0.01").scale().divisionKg()).isEqualByComparingTo("0.01");
        assertThat(settings("--scale.resolution-kg=0.01", "--scale.division-kg=0.002").scale().divisionKg())
                .as("the new name wins").isEqualByComparingTo("0.002");
    }

    @Test
    void twoScalesCannotShareADeviceIdOrAnHx711() {
        assertThat(problem("--scale.scales[0].device-id=keg", "--scale.scales[0].hx711.data-pin=17",
                "--scale.scales[0].hx711.clock-pin=27", "--scale.scales[1].device-id=keg"))
                .contains("scale.scales: each scale needs a device-id of its own");
        assertThat(problem("--scale.scales[0].device-id=keg-1", "--scale.scales[1].device-id=keg-2"))
                .contains(
                        "scale.scales: each scale needs an HX711 of its own, on pins (or an SPI bus) no other scale uses");
    }

    @Test
    void aSubCommandNamesTheScaleItWorksOnWhenThereAreSeveral() {
        assertThat(problem("--scale.device-id=cellar", "--scale.scales[0].device-id=keg-1",
                "--scale.scales[1].device-id=keg-2", "--scale.scales[1].hx711.data-pin=17",
                "--scale.scales[1].hx711.clock-pin=27"))
                .isEqualTo("scale.scales lists keg-1, keg-2, not cellar: name the one to use with "
                        + "--scale.device-id=keg-1");
    }

    private CommandSettings settings(String... args) {
        return CommandSettings.load(withDataDir(args));
    }

    private String problem(String... args) {
        Throwable refused = catchThrowable(() -> CommandSettings.load(withDataDir(args)));
        assertThat(refused).as("refused").isNotNull();
        return CommandSettings.problem(refused);
    }

    private String[] withDataDir(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--scale.data-dir=" + dataDir;
        all[args.length + 1] = "--scale.sensor=simulated";
        return all;
    }
}
