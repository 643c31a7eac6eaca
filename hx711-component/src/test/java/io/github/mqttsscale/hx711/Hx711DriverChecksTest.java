package io.github.mqttsscale.hx711;

import static io.github.mqttsscale.hx711.SimulatedScale.fastSettings;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

/**
 * The driver does not take its settings' word for the chip: the rate its RATE pin is wired for, a MISO that may
 * float, an SPI transfer that may fail, a consumer that stops mid-read, a machine too slow to read fresh samples.
 */
class Hx711DriverChecksTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * The board converts 10 times a second, the settings say 80: 50 ms of settling would pass the chip's unsettled
     * conversions (off by thousands of counts) after every gain change. The driver measures the rate, reports it,
     * and waits the longer settling time.
     */
    @Test
    void aChipWiredForTenSamplesASecondWhileTheRateSaysEightyIsReportedAndSettlesLonger() {
        try (SimulatedScale scale = new SimulatedScale(fastSettings(3), sim -> {
            sim.setRate(10);
            SimulatedScaleLoads.twoKgRoundNumbers(sim);
        })) {
            assertEquals(120000, scale.read().raw(), "settled: until the rate is measured, the longer settling time");
            readUntilTheRateIsMeasured(scale);
            assertEquals(10, scale.driver.measuredRate());
            String mismatch = scale.driver.rateMismatch().orElseThrow();
            assertTrue(mismatch.contains("converts 10 times a second (measured: one conversion every "), mismatch);
            assertTrue(mismatch.contains("but rate is 80: set rate to 10"), mismatch);

            for (Hx711Gain gain : new Hx711Gain[]{Hx711Gain.A64, Hx711Gain.B32, Hx711Gain.A128}) {
                scale.driver.setGain(gain);
                Hx711Reading reading = scale.read();

                // the simulated chip's unsettled conversions are at least 1000 counts off: no sample of them passed
                assertEquals(scale.simulator.loadCell().expectedCounts(gain), reading.highest(), "at " + gain);
                assertEquals(scale.simulator.loadCell().expectedCounts(gain), reading.lowest(), "at " + gain);
            }
        }
    }

    @Test
    void aChipWiredForEightyWhileTheRateSaysTenIsReported() {
        try (SimulatedScale scale = new SimulatedScale(fastSettings(5).withRate(10), sim -> sim.setRate(80))) {
            readUntilTheRateIsMeasured(scale);

            assertEquals(80, scale.driver.measuredRate());
            assertTrue(scale.driver.rateMismatch().orElseThrow().contains("but rate is 10: set rate to 80"),
                    scale.driver.rateMismatch().orElseThrow());
        }
    }

    @Test
    void aChipWiredAsTheRateSaysIsConfirmedWithoutAProblem() {
        try (SimulatedScale scale = new SimulatedScale(fastSettings(5), sim -> {
        })) {
            readUntilTheRateIsMeasured(scale);

            assertEquals(80, scale.driver.measuredRate());
            assertEquals(java.util.Optional.empty(), scale.driver.rateMismatch());
        }
    }

    /**
     * A machine so slow that each read ends after the next conversion: every sample is stale. Each discarded sample is
     * an attempt, so the reading ends, as a busy machine's (not a sensor fault), instead of looping without end.
     */
    @Test
    void discardedSamplesCountAsAttemptsSoAReadingOnATooSlowMachineEnds() {
        try (Hx711Simulator simulator = new Hx711Simulator()) {
            simulator.setRate(80);
            Hx711Settings settings = onSpi(fastSettings(3));
            try (Hx711Wire slow = new SlowWire(settings.wiring().wire(simulator), 20_000_000)) {
                Hx711Driver driver = new Hx711Driver(slow, settings);

                Hx711TimingException e = assertTimeoutPreemptively(WAIT,
                        () -> assertThrows(Hx711TimingException.class, driver::read));

                assertTrue(e.getMessage().contains("0 of 3 good samples in 14 attempts, 0 rejected (), 14 discarded as"
                        + " stale or unsettled"), e.getMessage());
                assertTrue(driver.counters().getDiscardedStale() >= 13, driver.counters().toString());
                assertInstanceOf(Hx711TimingException.class,
                        assertThrows(Hx711Exception.class, driver::readSample), "readSample() ends as well");
            }
        }
    }

    /** A consumer that stops (a route reload) while its driver reads must find the chip between two reads. */
    @Test
    void closeWaitsForTheReadInProgressWhichStopsAtItsNextSample() throws Exception {
        // 99 samples at 10 per second: a reading of ten seconds
        try (SimulatedScale scale = new SimulatedScale(fastSettings(Hx711Settings.MAX_SAMPLES).withRate(10),
                sim -> sim.setRate(10))) {
            CompletableFuture<Hx711Reading> reading = CompletableFuture.supplyAsync(scale.driver::read);
            await().atMost(WAIT).until(() -> scale.driver.counters().getGoodSamples() >= 2);
            long start = System.nanoTime();

            scale.driver.close();

            long pulsesWhenClosed = scale.simulator.probe().clockPulseCount();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "close() waited for the whole reading");
            ExecutionException e = assertThrows(ExecutionException.class, () -> reading.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("the driver was closed"), e.getCause().getMessage());
            assertEquals(pulsesWhenClosed, scale.simulator.probe().clockPulseCount(),
                    "no clock pulse after close() returned");
            assertThrows(Hx711Exception.class, scale.driver::read, "a closed driver reads no more");
        }
    }

    /** A MISO without its pull-up, its DOUT wire broken: random bits, which single reads took for weights. */
    @Test
    void aFloatingMisoIsFoundAndReportedNotReadAsWeights() {
        Hx711Settings settings = onSpi(fastSettings(3)).withReadyTimeout(Duration.ofMillis(300));
        try (SimulatedScale scale = new SimulatedScale(settings, sim -> sim.setFault(Hx711Fault.FLOATING_MISO))) {
            Hx711Exception e = assertThrows(Hx711Exception.class, scale.driver::read);

            assertTrue(e.getMessage().contains("floating"), e.getMessage());
            assertTrue(e.getMessage().contains("pull-up on MISO"), e.getMessage());
            assertEquals(0, scale.driver.counters().getGoodSamples(), scale.driver.counters().toString());
        }
    }

    @Test
    void eachSpiBitIsReadTwiceAndReadyNeedsAllReadsLow() {
        byte[][] answer = new byte[1][];
        Hx711SpiWire wire = new Hx711SpiWire((sent, received) -> System.arraycopy(answer[0], 0, received, 0,
                received.length), Hx711Wiring.Spi.defaults(), () -> {
                });

        answer[0] = new byte[]{0x10};
        assertFalse(wire.isDataReady(), "one read of MISO high");
        answer[0] = new byte[]{0};
        assertTrue(wire.isDataReady());
        assertEquals(1, wire.takeNoisyReadyChecks());
        assertEquals(0, wire.takeNoisyReadyChecks(), "taken");

        // every bit 1 in both halves, the 25th pulse's DOUT high at the end: -1, clean
        answer[0] = new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1};
        Hx711ClockedBits clean = wire.clockOut(25, 50_000, null);
        assertEquals(0xFFFFFF, clean.raw());
        assertFalse(clean.noisy());
        // bit 1 high in its "1" half only
        answer[0] = new byte[]{(byte) 0x80, 0, 0, 0, 0, 0, 1};
        assertTrue(wire.clockOut(25, 50_000, null).noisy());
    }

    /** Pi4J 2.8.0 logs a failed transfer and returns −1, leaving the bytes received as they were. */
    @Test
    void aFailedSpiTransferIsAnErrorWithItsCauseNeverReadOn() {
        // the first transfer (the driver's PD_SCK low) works, then the device fails
        int[] transfers = {0};
        Hx711SpiWire.Transfer failing = Hx711SpiWire.failingLoudly(
                (sent, received) -> transfers[0]++ == 0 ? sent.length : -1, "/dev/spidev0.0", () -> 5);
        Hx711Driver driver = new Hx711Driver(new Hx711SpiWire(failing, Hx711Wiring.Spi.defaults(), () -> {
        }), onSpi(fastSettings(1)));

        Hx711Exception e = assertThrows(Hx711Exception.class, driver::read);

        assertTrue(e.getMessage().startsWith("SPI transfer on /dev/spidev0.0 failed (Pi4J returned -1, errno 5)"),
                e.getMessage());
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals(0, driver.counters().getGoodSamples());
        assertEquals(0, driver.counters().rejectedTotal(), "an error of the bus, not a sample to judge");
        RuntimeException cause = new IllegalStateException("ioctl gone");
        Hx711Exception wrapped = assertThrows(Hx711Exception.class, () -> Hx711SpiWire.failingLoudly(
                (sent, received) -> {
                    throw cause;
                }, "/dev/spidev0.0", () -> 0).transfer(new byte[1], new byte[1]));
        assertSame(cause, wrapped.getCause());
    }

    /**
     * Three periods between conversions read in a row tell the rate: a reading of several samples has them, unless a
     * busy machine made the driver start over (a stretched clock-high phase powers the chip down).
     */
    private static void readUntilTheRateIsMeasured(SimulatedScale scale) {
        await().atMost(WAIT).until(() -> {
            scale.read();
            return scale.driver.measuredRate() != 0;
        });
    }

    private static Hx711Settings onSpi(Hx711Settings settings) {
        return settings.withWiring(Hx711Wiring.Spi.defaults());
    }

    /** A wire on a machine so slow that each clock-out ends this long after it began. */
    private record SlowWire(Hx711Wire wire, long extraNanos) implements Hx711Wire {

        @Override
        public boolean isDataReady() {
            return wire.isDataReady();
        }

        @Override
        public Hx711ClockedBits clockOut(int pulses, long clockHighLimitNanos, Hx711ClockHighHistogram histogram) {
            Hx711ClockedBits bits = wire.clockOut(pulses, clockHighLimitNanos, histogram);
            long until = System.nanoTime() + extraNanos;
            while (until - System.nanoTime() > 0) {
                LockSupport.parkNanos(until - System.nanoTime());
            }
            return bits;
        }

        @Override
        public long rehearseClockOut(int pulses) {
            return wire.rehearseClockOut(pulses);
        }

        @Override
        public void clockHigh() {
            wire.clockHigh();
        }

        @Override
        public void clockLow() {
            wire.clockLow();
        }

        @Override
        public String describe() {
            return wire.describe();
        }

        @Override
        public String dataLine() {
            return wire.dataLine();
        }

        @Override
        public void close() {
            wire.close();
        }
    }
}
