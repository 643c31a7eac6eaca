package io.github.mqttsscale.hx711;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiBus;
import com.pi4j.io.spi.SpiChipSelect;
import com.pi4j.io.spi.SpiMode;
import com.pi4j.plugin.linuxfs.provider.spi.LinuxFsSpiProvider;

/**
 * An HX711 clocked by SPI hardware: PD_SCK wired to MOSI, DOUT to MISO (SCLK and CE unconnected). Each PD_SCK pulse
 * is the bit pair "1 0" on MOSI, so a read of 25 to 27 pulses is 7 bytes: 0xAA six times, then 0x80, 0xA0 or 0xA8.
 * The chip shifts a bit out on each rising PD_SCK edge and the controller samples MISO in the middle of the "1":
 * the clock-high phase is one SPI bit (1 µs at 1 MHz) whatever Linux does meanwhile, so no sample is lost to the
 * scheduler. The bytes go out in one transfer through the kernel's spidev (group {@code spi}, no root needed).
 * <p>
 * A DOUT wire that is broken, on a MISO without its pull-up, floats: the Pi reads random bits, which a single read
 * per bit would take for a conversion. So each bit is read twice, in the "1" and in the "0" half of its pulse (the chip
 * holds it from one rising edge to the next), and "ready" needs all eight reads of MISO low: a chip's DOUT never
 * changes within a check but at the moment it signals, a floating one nearly always does.
 * <p>
 * The SPI controller does not hold MOSI high between transfers, so the chip cannot be kept powered down:
 * {@link #clockHigh()} powers it down and the end of the transfer wakes it, reset to channel A gain 128.
 */
public final class Hx711SpiWire implements Hx711Wire {

    private static final int DATA_BITS = 24;
    private static final byte PULSES_FOUR = (byte) 0xAA;
    private static final long POWER_DOWN_NANOS = 200_000;

    /** One full-duplex SPI transfer: {@code received} gets as many bytes as {@code sent} has. */
    @FunctionalInterface
    public interface Transfer {
        void transfer(byte[] sent, byte[] received);
    }

    /** Pi4J's transfer: the bytes received, or a negative number when the transfer failed. */
    @FunctionalInterface
    interface CountingTransfer {
        int transfer(byte[] sent, byte[] received);
    }

    private final Transfer bus;
    private final int speedHz;
    private final Hx711Wiring.Spi wiring;
    private final Runnable release;
    /** The transfer for 25, 26 and 27 pulses, made once. */
    private final byte[][] pulseBytes = {pulseBytes(25), pulseBytes(26), pulseBytes(27)};
    private final byte[] oneByte = new byte[1];
    private final byte[] oneByteBack = new byte[1];
    private int noisyReadyChecks;

    public Hx711SpiWire(Transfer bus, Hx711Wiring.Spi wiring, Runnable release) {
        this.bus = bus;
        this.speedHz = wiring.speedHz();
        this.wiring = wiring;
        this.release = release;
    }

    /**
     * Opens {@code /dev/spidev<bus>.<chipSelect>} with Pi4J's linuxfs provider (mode 0, 8-bit words) in a context of
     * its own, which closing the wire shuts down.
     */
    static Hx711SpiWire openSpidev(Hx711Wiring.Spi wiring) {
        int bus = wiring.bus();
        int chipSelect = wiring.chipSelect();
        Context context = Pi4J.newContextBuilder().add(LinuxFsSpiProvider.newInstance()).build();
        try {
            Spi spi = context.create(Spi.newConfigBuilder(context)
                    .id("hx711-spi" + bus + "-" + chipSelect).name("HX711 on SPI")
                    .bus(SpiBus.getByNumber(bus)).chipSelect(SpiChipSelect.getByNumber(chipSelect))
                    .mode(SpiMode.MODE_0).baud(wiring.speedHz()).provider(LinuxFsSpiProvider.ID));
            return new Hx711SpiWire(failingLoudly((sent, received) -> spi.transfer(sent, 0, received, 0, sent.length),
                    wiring.device(), () -> com.sun.jna.Native.getLastError()), wiring, context::shutdown);
        } catch (RuntimeException e) {
            context.shutdown();
            throw e;
        }
    }

    /**
     * A transfer that throws when Pi4J's fails: Pi4J 2.8.0 logs a failed ioctl and returns −1, with {@code received}
     * left as it was, which would read as bits.
     *
     * @param errno the error number of the failed call (JNA keeps it per thread)
     */
    static Transfer failingLoudly(CountingTransfer transfer, String device, java.util.function.IntSupplier errno) {
        return (sent, received) -> {
            int count;
            try {
                count = transfer.transfer(sent, received);
            } catch (RuntimeException e) {
                throw new Hx711Exception("SPI transfer on " + device + " failed: " + e.getMessage(), e);
            }
            if (count != sent.length) {
                int error = errno.getAsInt();
                throw new Hx711Exception("SPI transfer on " + device + " failed (Pi4J returned " + count + ", errno "
                        + error + "): is " + device + " still there and free (SPI turned on, no other program using"
                        + " it)?", new java.io.IOException("errno " + error));
            }
        };
    }

    /** The seven bytes that make {@code pulses} PD_SCK pulses, each "1 0", the rest low. */
    static byte[] pulseBytes(int pulses) {
        byte[] bytes = new byte[7];
        for (int pulse = 0; pulse < pulses; pulse++) {
            bytes[pulse / 4] |= (byte) (0x80 >>> (2 * (pulse % 4)));
        }
        return bytes;
    }

    @Override
    public boolean isDataReady() {
        oneByte[0] = 0; // MOSI low: no clock pulse, MISO sampled 8 times
        bus.transfer(oneByte, oneByteBack);
        if (oneByteBack[0] != 0 && oneByteBack[0] != (byte) 0xFF) {
            noisyReadyChecks++;
        }
        return oneByteBack[0] == 0;
    }

    @Override
    public int takeNoisyReadyChecks() {
        int noisy = noisyReadyChecks;
        noisyReadyChecks = 0;
        return noisy;
    }

    @Override
    public Hx711ClockedBits clockOut(int pulses, long clockHighLimitNanos, Hx711ClockHighHistogram histogram) {
        byte[] received = new byte[7];
        bus.transfer(pulseBytes[pulses - 25], received);
        int raw = 0;
        boolean noisy = false;
        for (int bit = 0; bit < DATA_BITS; bit++) {
            // the "1" half of pulse bit+1 (bit 7, 5, 3 or 1 of its byte) and its "0" half, the bit after it
            int highHalf = 0x80 >>> (2 * (bit % 4));
            boolean high = (received[bit / 4] & highHalf) != 0;
            noisy |= high != ((received[bit / 4] & (highHalf >>> 1)) != 0);
            raw = (raw << 1) | (high ? 1 : 0);
        }
        long bitNanos = 1_000_000_000L / speedHz;
        if (histogram != null) {
            for (int pulse = 0; pulse < pulses; pulse++) {
                histogram.record(bitNanos);
            }
        }
        // the last bit of the transfer comes after every pulse: the 25th has pulled DOUT high by then
        return new Hx711ClockedBits(raw, Hx711ClockedBits.Timing.OK, 0, bitNanos, (received[6] & 1) != 0, noisy);
    }

    @Override
    public long rehearseClockOut(int pulses) {
        return 0;
    }

    @Override
    public void clockHigh() {
        int bytes = (int) (POWER_DOWN_NANOS * speedHz / 8 / 1_000_000_000L) + 1;
        byte[] ones = new byte[bytes + 1];
        java.util.Arrays.fill(ones, 0, bytes, (byte) 0xFF);
        bus.transfer(ones, new byte[ones.length]);
    }

    @Override
    public void clockLow() {
        oneByte[0] = 0;
        bus.transfer(oneByte, oneByteBack);
    }

    @Override
    public String describe() {
        return wiring.describe();
    }

    @Override
    public String dataLine() {
        return wiring.dataLine();
    }

    @Override
    public void close() {
        release.run();
    }
}
