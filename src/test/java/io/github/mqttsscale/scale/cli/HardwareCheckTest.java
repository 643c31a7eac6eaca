package io.github.mqttsscale.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.github.mqttsscale.hx711.Hx711Fault;

/** {@code mqtts-scale check} against the simulated HX711: what it reports and its exit code, per wiring fault. */
class HardwareCheckTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String report() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void goodWiringReportsTimingNoiseAndWeightAndExitsZero() {
        // 80 samples/s: settling and warm-up rejections cost 50 ms each instead of 400
        int exit = HardwareCheck.run(settings("--scale.sensor=simulated", "--scale.hx711.rate=80",
                "--scale.simulator.noise-counts=40"), out, Hx711Fault.NONE);

        assertThat(exit).as(report()).isZero();
        assertThat(report())
                .contains("SIMULATED HX711", "DOUT=BCM 5 (pin 29) / PD_SCK=BCM 6 (pin 31)", "RATE 80 samples/s")
                .containsPattern("every \\d+\\.\\d ms \\(expected 12\\.5 ms at 80 samples/s\\)")
                .contains(CheckSampling.SAMPLES + " good", "0 timeouts", "offset 75353")
                .containsPattern("mean \\d+ counts = 2\\.(49|50)\\d kg")
                .containsPattern("standard deviation (2\\d|[3-6]\\d)\\.\\d counts = \\d\\.\\d\\d g")
                .contains("Result: OK")
                .containsPattern("clock high +<2µs: \\d+, 2-5µs: \\d+, .*limit 50 µs")
                .doesNotContain("Problems:");
    }

    @Test
    void unpluggedIsAlwaysTimeoutNamingPowerAndDout() {
        int exit = HardwareCheck.run(settings("--scale.sensor=simulated", "--scale.hx711.data-pin=17",
                "--scale.hx711.clock-pin=27"), out, Hx711Fault.UNPLUGGED);

        assertThat(exit).as(report()).isEqualTo(1);
        assertThat(report())
                .contains("0 good", "2 timeouts", "Always timeout", "VCC to 3.3 V (pin 1) and GND (pin 6)",
                        "DOUT (DT) to BCM 17 (pin 11)", "DT and SCK are not swapped", "Result: 1 problem to fix")
                .doesNotContain("Result: OK", "noise ");
    }

    @Test
    void stuckLowSaysShortedDoutOrMissingClock() {
        int exit = HardwareCheck.run(settings("--scale.sensor=simulated"), out, Hx711Fault.STUCK_LOW);

        assertThat(exit).as(report()).isEqualTo(1);
        assertThat(report())
                .contains("0 good", "DOUT stuck low", "shorted to GND", "PD_SCK (SCK) to BCM 6 (pin 31)")
                .contains("Result: 1 problem to fix");
    }

    /** A broken DT wire on a MISO without its pull-up: random bits, which the check names instead of weighing. */
    @Test
    void aFloatingMisoSaysRandomBitsAndThePullUp() {
        int exit = HardwareCheck.run(settings("--scale.sensor=simulated", "--scale.hx711.rate=80",
                "--scale.hx711.wiring=spi"), out, Hx711Fault.FLOATING_MISO);

        assertThat(exit).as(report()).isEqualTo(1);
        assertThat(report()).contains("Random bits on DOUT", "DOUT (DT) to MISO, BCM 9 (pin 21)", "gpio=9=pu")
                .doesNotContain("Result: OK");
    }

    /** DOUT is pulled up: a DT wire that is broken reads "not ready", never random bits that pass for weights. */
    @Test
    void aBrokenDtWireIsAlwaysTimeoutNeverANoisyReading() {
        int exit = HardwareCheck.run(settings("--scale.sensor=simulated", "--scale.hx711.rate=80"), out,
                Hx711Fault.FLOATING_DOUT);

        assertThat(exit).as(report()).isEqualTo(1);
        assertThat(report()).contains("0 good", "Always timeout", "a broken DT wire reads high")
                .doesNotContain("mean ", "Result: OK");
    }

    /**
     * A machine too slow for the GPIO wiring (every clock-high phase 80 µs): the check recommends the SPI wiring from
     * its own measurement, with the pins to move and the clock-high phases it measured.
     */
    @Test
    void aMachineTooSlowForTheGpioWiringIsToldToUseSpiWithThePins() {
        int exit = HardwareCheck.run(settings("--scale.sensor=simulated", "--scale.hx711.rate=80"), out,
                Hx711Fault.SLOW_CLOCK);

        assertThat(exit).as(report()).isEqualTo(1);
        assertThat(report())
                .containsPattern("clock high +<2µs: 0, 2-5µs: 0, 5-10µs: 0, 10-20µs: 0, 20-40µs: 0, 40-60µs: 0,"
                        + " >=60µs: [1-9]\\d*")
                .containsPattern("(\\d+) of \\1 samples were rejected for clock timing: this machine cannot keep the"
                        + " HX711's clock pulse under the chip's limit of 50 µs with the gpio wiring")
                .contains("Clock-high phases measured: <2µs: 0,", "Use the spi wiring",
                        "Move DOUT (DT) from BCM 5 (pin 29) to MISO, BCM 9 (pin 21) and PD_SCK (SCK) from BCM 6"
                                + " (pin 31) to MOSI, BCM 10 (pin 19) (not SCLK), pull MISO up (gpio=9=pu",
                        "sudo raspi-config nonint do_spi 0", "set scale.hx711.wiring: spi")
                .doesNotContain("Result: OK", "JVM is still warming up");
    }

    /** The same machine with the SPI wiring: its clock is the SPI hardware's, nothing is lost. */
    @Test
    void theSameSlowMachineLosesNothingWithTheSpiWiring() {
        int exit = HardwareCheck.run(settings("--scale.sensor=simulated", "--scale.hx711.rate=80",
                "--scale.hx711.wiring=spi"), out, Hx711Fault.SLOW_CLOCK);

        assertThat(exit).as(report()).isZero();
        assertThat(report()).contains(CheckSampling.SAMPLES + " good; rejected: 0 clock timing", "Result: OK")
                .doesNotContain("Use the spi wiring");
    }

    @Test
    void spiWiringIsCheckedThroughTheSpiBusAndLosesNoSampleToTiming() {
        int exit = HardwareCheck.run(settings("--scale.sensor=simulated", "--scale.hx711.rate=80",
                "--scale.hx711.wiring=spi"), out, Hx711Fault.NONE);

        assertThat(exit).as(report()).isZero();
        assertThat(report())
                .contains("spi: DOUT=MISO, BCM 9 (pin 21) / PD_SCK=MOSI, BCM 10 (pin 19) of SPI bus 0")
                .contains(CheckSampling.SAMPLES + " good; rejected: 0 clock timing", "0 timeouts")
                .containsPattern("clock high +<2µs: \\d+, 2-5µs: 0, 5-10µs: 0, 10-20µs: 0, 20-40µs: 0, 40-60µs: 0,"
                        + " >=60µs: 0")
                .contains("Result: OK");
    }

    @Test
    void realSensorWithoutGpioChipSaysSo() {
        int exit = HardwareCheck.run(settings("--scale.sensor=hx711"), out, Hx711Fault.NONE);

        assertThat(report()).contains("HX711 on the GPIO pins (scale.sensor=hx711)", "gpio chips");
        if (report().contains("gpio chips  none")) { // a build machine: no GPIO at all
            assertThat(exit).isEqualTo(1);
            assertThat(report()).contains("No GPIO chip (/dev/gpiochip*)", "--scale.sensor=simulated");
        }
    }

    @Test
    void unusableSettingsExitTwoNamingTheSetting() {
        int exit = SubCommands.run(new String[]{"check", "--scale.sensor=simulated", "--scale.hx711.clock-pin=5"},
                System.in, out).orElseThrow();

        assertThat(exit).isEqualTo(2);
        assertThat(report()).contains("mqtts-scale check: the settings cannot be used",
                "scale.hx711.clock-pin: Invalid dataPin/clockPin: both are BCM 5, DOUT and PD_SCK need two different pins");
    }

    @Test
    void firstArgumentPicksTheSubCommand() {
        assertThat(SubCommands.run(new String[0], System.in, out)).isEmpty();
        assertThat(SubCommands.run(new String[]{"--scale.sensor=simulated"}, System.in, out)).isEmpty();
        assertThat(SubCommands.run(new String[]{"weigh"}, System.in, out)).hasValue(2);
        assertThat(report()).contains("Unknown command 'weigh'", "[check|calibrate|hash-password]");
    }

    private static CommandSettings settings(String... args) {
        return CommandSettings.load(args);
    }
}
