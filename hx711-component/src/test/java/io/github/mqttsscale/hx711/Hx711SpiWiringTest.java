package io.github.mqttsscale.hx711;

import static io.github.mqttsscale.hx711.SimulatedScale.fastSettings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The HX711 clocked by SPI hardware, through the simulator's SPI front end: the same chip, another wire. */
class Hx711SpiWiringTest {

    private static final int[] EXACT_VALUES = {0x7FFFFE, -0x7FFFFF, 0, 1, -2, 123456, -654321, 0x400000};

    @ParameterizedTest
    @CsvSource({"25, AA AA AA AA AA AA 80", "26, AA AA AA AA AA AA A0", "27, AA AA AA AA AA AA A8"})
    void eachPulseIsTheBitPairOneZero(int pulses, String bytes) {
        byte[] expected = new byte[7];
        String[] hex = bytes.split(" ");
        for (int i = 0; i < 7; i++) {
            expected[i] = (byte) Integer.parseInt(hex[i], 16);
        }

        assertArrayEquals(expected, Hx711SpiWire.pulseBytes(pulses));
    }

    @ParameterizedTest
    @EnumSource(Hx711Gain.class)
    void decodesEveryValueExactlyAtEveryGain(Hx711Gain gain) {
        try (SimulatedScale scale = new SimulatedScale(onSpi(fastSettings(1).withGain(gain)), sim -> {
        })) {
            for (int value : EXACT_VALUES) {
                scale.simulator.loadCell().setOutputCounts(value);
                scale.read(); // may still carry the conversion made before the change

                assertEquals(value, scale.read().raw(), "value at gain " + gain);
                assertEquals(gain, scale.simulator.chip().currentGain(), "the chip must be left at the requested gain");
            }
        }
    }

    @Test
    void aReadingFollowsTheLoadAndSwitchesGainLikeTheGpioWiring() {
        try (SimulatedScale scale = new SimulatedScale(onSpi(fastSettings(3)),
                SimulatedScaleLoads::twoKgRoundNumbers)) {
            assertEquals(120000, scale.read().raw());
            for (Hx711Gain gain : new Hx711Gain[]{Hx711Gain.A64, Hx711Gain.B32, Hx711Gain.A128}) {
                scale.driver.setGain(gain);
                assertEquals(scale.simulator.loadCell().expectedCounts(gain), scale.read().raw(), "at " + gain);
            }
            scale.simulator.setLoadKg(3);
            assertEquals(130000, scale.read().raw());
            assertEquals(0, scale.driver.counters().rejected(Hx711RejectReason.SATURATED),
                    scale.driver.counters().toString());
        }
    }

    /** A scheduler pause cannot stretch a clock the SPI controller makes: no sample is ever lost to timing. */
    @Test
    void noSampleIsRejectedForTimingAndEveryPulseIsOneBitLong() {
        try (SimulatedScale scale = new SimulatedScale(onSpi(fastSettings(5)),
                sim -> sim.setFault(Hx711Fault.STRETCHED_CLOCK))) {
            for (int i = 0; i < 10; i++) {
                scale.driver.read();
            }

            assertEquals(0, scale.driver.counters().rejected(Hx711RejectReason.TIMING),
                    scale.driver.counters().toString());
            assertEquals(0, scale.simulator.probe().powerDownCount());
            Hx711ClockHighHistogram histogram = scale.driver.clockHighHistogram();
            assertTrue(histogram.toString().startsWith("<2µs: " + histogram.total() + ","), histogram.toString());
            assertTrue(histogram.total() >= 50 * 25, histogram.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x7FFFFF, 0x800000})
    void saturationIsRejected(int saturation) {
        try (SimulatedScale scale = new SimulatedScale(onSpi(fastSettings(2)),
                sim -> sim.loadCell().setOutputCounts(saturation))) {
            Hx711Exception e = assertThrows(Hx711Exception.class, scale.driver::read);

            assertTrue(
                    e.getMessage().matches(".*0 of 2 good samples in 11 attempts, \\d+ rejected \\(saturated: \\d+\\),"
                            + " [1-9]\\d* discarded as stale or unsettled.*"),
                    e.getMessage());
        }
    }

    @Test
    void faultsOfTheWiresAreNamedForTheSpiPins() {
        try (SimulatedScale scale = new SimulatedScale(onSpi(fastSettings(1)),
                sim -> sim.setFault(Hx711Fault.STUCK_LOW))) {
            assertEquals(Hx711RejectReason.STUCK_LOW, scale.rejectedSample().reason());
        }
        Hx711Settings quick = fastSettings(1).withReadyTimeout(Duration.ofMillis(200));
        for (Hx711Fault fault : new Hx711Fault[]{Hx711Fault.UNPLUGGED, Hx711Fault.FLOATING_DOUT}) {
            try (SimulatedScale scale = new SimulatedScale(onSpi(quick), sim -> sim.setFault(fault))) {
                Hx711Exception e = assertThrows(Hx711Exception.class, scale.driver::read, fault.name());
                assertInstanceOf(Hx711NotReadyException.class, e, e.getMessage());
                assertTrue(
                        e.getMessage().startsWith(
                                "HX711 on DOUT=MISO, BCM 9 (pin 21) / PD_SCK=MOSI, BCM 10 (pin 19) of SPI bus 0"),
                        e.getMessage());
                assertTrue(e.getMessage().endsWith("DOUT is wired to MISO, BCM 9 (pin 21)"), e.getMessage());
            }
        }
    }

    @Test
    void powerDownOverSpiResetsTheChipToChannelAGain128() {
        try (SimulatedScale scale = new SimulatedScale(onSpi(fastSettings(1).withGain(Hx711Gain.B32)),
                SimulatedScaleLoads::twoKgRoundNumbers)) {
            assertEquals(30000, scale.read().raw());

            scale.driver.powerDown();
            scale.driver.powerUp();

            assertEquals(1, scale.simulator.probe().powerDownCount());
            assertEquals(Hx711Gain.A128, scale.simulator.chip().currentGain());
            assertEquals(30000, scale.read().raw(), "the driver sets its gain again after the reset");
        }
    }

    /** People wire by header pin: each bus names the pins of its own MOSI and MISO. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 | DOUT=MISO, BCM 9 (pin 21) / PD_SCK=MOSI, BCM 10 (pin 19) of SPI bus 0 (/dev/spidev0.0)",
            "1 | DOUT=MISO, BCM 19 (pin 35) / PD_SCK=MOSI, BCM 20 (pin 38) of SPI bus 1 (/dev/spidev1.0)",
            "4 | DOUT=MISO of /dev/spidev4.0 / PD_SCK=MOSI of /dev/spidev4.0 of SPI bus 4 (/dev/spidev4.0)"})
    void eachBusNamesItsOwnPins(int bus, String description) {
        assertEquals(description, new Hx711Wiring.Spi(bus, 0, Hx711Wiring.Spi.DEFAULT_SPEED_HZ).describe());
    }

    private static Hx711Settings onSpi(Hx711Settings settings) {
        return settings.withWiring(new Hx711Wiring.Spi(0, 0, Hx711Wiring.Spi.DEFAULT_SPEED_HZ));
    }
}
