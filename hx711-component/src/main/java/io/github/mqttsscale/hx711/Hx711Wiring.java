package io.github.mqttsscale.hx711;

import java.util.function.Supplier;

import com.pi4j.context.Context;

/**
 * Which of the Pi's pins reach the HX711's DOUT and PD_SCK, and how to open them: the one place that knows the
 * Raspberry Pi's header, so that every message, the component and the check name the same pins.
 */
public sealed interface Hx711Wiring {

    /** Highest BCM GPIO number on the 40-pin header. */
    int HIGHEST_BCM_PIN = 27;

    /** "DOUT=BCM 5 (pin 29) / PD_SCK=BCM 6 (pin 31)": how messages name the chip, so a wiring fault is easy to find. */
    default String describe() {
        return "DOUT=" + dataLine() + " / PD_SCK=" + clockLine();
    }

    /** The line wired to DOUT, as a person finds it on the header: "BCM 5 (pin 29)". */
    String dataLine();

    /** The line wired to PD_SCK, as a person finds it on the header. */
    String clockLine();

    /** What opening the real lines needs, for the message when they cannot be opened. */
    String whatOpeningNeeds();

    /** Opens the real lines: GPIO pins in {@code gpio}'s context, an SPI bus in a context of its own. */
    Hx711Wire open(Supplier<Context> gpio, String idPrefix);

    /** Opens the real lines in a Pi4J context of their own, which closing the wire shuts down. */
    Hx711Wire open(String idPrefix);

    /** Wires the simulated chip the same way. */
    Hx711Wire wire(Hx711Simulator simulator);

    /** Two GPIO pins, the clock made by this JVM and timed pulse by pulse. */
    record Gpio(int dataPin, int clockPin) implements Hx711Wiring {

        /** Physical header pin of each BCM GPIO number 0..27. */
        private static final int[] HEADER_PIN = {27, 28, 3, 5, 7, 29, 31, 26, 24, 21, 19, 23, 32, 33, 8, 10, 36, 11,
                12, 35, 38, 40, 15, 16, 18, 22, 37, 13};

        /** DOUT on BCM 5 (pin 29), PD_SCK on BCM 6 (pin 31). */
        public static Gpio defaults() {
            return new Gpio(5, 6);
        }

        public Gpio {
            requirePin("dataPin", dataPin);
            requirePin("clockPin", clockPin);
            if (dataPin == clockPin) {
                throw new Hx711InvalidOptionException("clockPin", "Invalid dataPin/clockPin: both are BCM " + dataPin
                        + ", DOUT and PD_SCK need two different pins");
            }
        }

        @Override
        public String dataLine() {
            return line(dataPin);
        }

        @Override
        public String clockLine() {
            return line(clockPin);
        }

        @Override
        public String whatOpeningNeeds() {
            return "a GPIO chip (/dev/gpiochip*: a Raspberry Pi), access to it (group gpio) and pins no other program "
                    + "holds (gpioinfo names the holders)";
        }

        @Override
        public Hx711Wire open(Supplier<Context> gpio, String idPrefix) {
            return Hx711Pins.open(gpio.get(), idPrefix, dataPin, clockPin);
        }

        @Override
        public Hx711Wire open(String idPrefix) {
            return Hx711Pins.openGpiod(idPrefix, dataPin, clockPin);
        }

        @Override
        public Hx711Wire wire(Hx711Simulator simulator) {
            return simulator.wire(dataPin, clockPin);
        }

        private static String line(int bcm) {
            return "BCM " + bcm + " (pin " + HEADER_PIN[bcm] + ")";
        }

        /**
         * How to move this chip to the SPI wiring, whose clock no busy machine stretches: the pins to move, the
         * pull-up on MISO and SPI turned on. Ends without the setting, which the caller names its own way.
         */
        public String moveToSpi() {
            Spi spi = Spi.defaults();
            return "Move DOUT (DT) from " + dataLine() + " to " + spi.dataLine() + " and PD_SCK (SCK) from "
                    + clockLine() + " to " + spi.clockLine() + " (not SCLK), pull MISO up (gpio=9=pu in"
                    + " /boot/firmware/config.txt), turn SPI on (sudo raspi-config nonint do_spi 0), reboot";
        }

        private static void requirePin(String option, int pin) {
            if (pin < 0 || pin > HIGHEST_BCM_PIN) {
                throw new Hx711InvalidOptionException(option, "Invalid " + option + " " + pin
                        + ": allowed values are BCM GPIO numbers 0.." + HIGHEST_BCM_PIN);
            }
        }
    }

    /** PD_SCK on an SPI bus's MOSI, DOUT on its MISO: the clock is made by the SPI hardware. */
    record Spi(int bus, int chipSelect, int speedHz) implements Hx711Wiring {

        /** The HX711's PD_SCK takes up to 2.5 MHz (0.2 µs high minimum); 1 MHz leaves DOUT 0.4 µs to settle. */
        public static final int DEFAULT_SPEED_HZ = 1_000_000;
        /** Slowest SPI clock accepted: 10 µs pulses, a read still far shorter than a conversion at 80 SPS. */
        public static final int MIN_SPEED_HZ = 100_000;
        /** Fastest SPI clock: a PD_SCK pulse of 1 µs high and 1 µs low, each DOUT bit read in both halves. */
        public static final int MAX_SPEED_HZ = 1_000_000;
        /** Highest SPI bus of a Raspberry Pi (the Pi 4 has 0 to 6). */
        public static final int HIGHEST_BUS = 6;

        /** SPI bus 0, chip select 0, {@value #DEFAULT_SPEED_HZ} Hz: the bus on the header of every Pi. */
        public static Spi defaults() {
            return new Spi(0, 0, DEFAULT_SPEED_HZ);
        }

        public Spi {
            if (bus < 0 || bus > HIGHEST_BUS) {
                throw new Hx711InvalidOptionException("spiBus",
                        "Invalid spiBus " + bus + ": allowed values are 0.." + HIGHEST_BUS
                                + " (/dev/spidev<bus>.<chipSelect>)");
            }
            if (chipSelect < 0 || chipSelect > 2) {
                throw new Hx711InvalidOptionException("spiChipSelect", "Invalid spiChipSelect " + chipSelect
                        + ": allowed values are 0..2 (/dev/spidev<bus>.<chipSelect>)");
            }
            if (speedHz < MIN_SPEED_HZ || speedHz > MAX_SPEED_HZ) {
                throw new Hx711InvalidOptionException("spiSpeed",
                        "Invalid spiSpeed " + speedHz + ": allowed values are " + MIN_SPEED_HZ + ".." + MAX_SPEED_HZ
                                + " Hz (each bit of DOUT is read twice, 1 µs apart at 1 MHz: faster leaves the chip's"
                                + " 0.1 µs output delay and the wires too little margin). Leave it out for "
                                + DEFAULT_SPEED_HZ + " Hz");
            }
        }

        /** MISO and MOSI of buses 0 and 1, on the 40-pin header of every Pi; the Pi 4's buses 3 to 6 need overlays. */
        private static final String[][] HEADER_LINES = {{"BCM 9 (pin 21)", "BCM 10 (pin 19)"},
                {"BCM 19 (pin 35)", "BCM 20 (pin 38)"}};

        @Override
        public String dataLine() {
            return line("MISO", 0);
        }

        @Override
        public String clockLine() {
            return line("MOSI", 1);
        }

        private String line(String name, int which) {
            return bus < HEADER_LINES.length ? name + ", " + HEADER_LINES[bus][which] : name + " of " + device();
        }

        @Override
        public String describe() {
            return Hx711Wiring.super.describe() + " of SPI bus " + bus + " (" + device() + ")";
        }

        /** The spidev device file of this bus and chip select. */
        public String device() {
            return "/dev/spidev" + bus + "." + chipSelect;
        }

        @Override
        public String whatOpeningNeeds() {
            return "SPI turned on (" + device() + ": sudo raspi-config nonint do_spi 0, then reboot), access to it "
                    + "(group spi) and no other program using it";
        }

        @Override
        public Hx711Wire open(Supplier<Context> gpio, String idPrefix) {
            return open(idPrefix);
        }

        @Override
        public Hx711Wire open(String idPrefix) {
            return Hx711SpiWire.openSpidev(this);
        }

        @Override
        public Hx711Wire wire(Hx711Simulator simulator) {
            return simulator.wireSpi(this);
        }
    }
}
