package io.github.mqttsscale.hx711;

import java.time.Duration;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Read the weight on a load cell through an HX711 amplifier on Raspberry Pi GPIO pins: each poll sends one
 * reading, several good samples combined (median or trimmed mean).
 */
@UriEndpoint(scheme = "hx711", syntax = "hx711:name", consumerOnly = true, remote = false, title = "HX711",
        category = Category.IOT, headersClass = Hx711Constants.class, firstVersion = "0.1.0")
public class Hx711Endpoint extends ScheduledPollEndpoint {

    @UriPath
    @Metadata(required = true)
    private String name;
    @UriParam(defaultValue = "gpio", enums = "gpio,spi")
    private String wiring = "gpio";
    @UriParam(defaultValue = "5")
    private int dataPin = 5;
    @UriParam(defaultValue = "6")
    private int clockPin = 6;
    @UriParam(defaultValue = "128", enums = "128,64,32")
    private int gain = 128;
    @UriParam(defaultValue = "5")
    private int samples = 5;
    @UriParam(defaultValue = "median", enums = "median,trimmed-mean")
    private String combine = "median";
    @UriParam(defaultValue = "10", enums = "10,80")
    private int rate = 10;
    @UriParam(defaultValue = "1000", javaType = "java.time.Duration")
    private long readyTimeout = 1000;
    @UriParam(label = "advanced", defaultValue = "60")
    private int clockHighLimit = 60;
    @UriParam(label = "advanced", defaultValue = "0", javaType = "java.time.Duration")
    private long settlingTime;
    @UriParam(label = "spi", defaultValue = "0")
    private int spiBus;
    @UriParam(label = "spi", defaultValue = "0")
    private int spiChipSelect;
    @UriParam(label = "spi", defaultValue = "1000000")
    private int spiSpeed = Hx711Wiring.Spi.DEFAULT_SPEED_HZ;

    public Hx711Endpoint(String uri, Hx711Component component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public Hx711Component getComponent() {
        return (Hx711Component) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("The hx711 endpoint only reads: use it in from(), not to()");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Hx711Consumer consumer = new Hx711Consumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The options as driver settings. @throws IllegalArgumentException naming the bad option */
    public Hx711Settings settings() {
        return new Hx711Settings(wiring(), Hx711Gain.of(gain), samples, Hx711Combine.of(combine), rate,
                Duration.ofMillis(readyTimeout),
                Duration.ofNanos(clockHighLimit * 1000L), Duration.ofMillis(settlingTime));
    }

    private Hx711Wiring wiring() {
        if ("spi".equalsIgnoreCase(wiring)) {
            return new Hx711Wiring.Spi(spiBus, spiChipSelect, spiSpeed);
        }
        if ("gpio".equalsIgnoreCase(wiring)) {
            return new Hx711Wiring.Gpio(dataPin, clockPin);
        }
        throw new IllegalArgumentException("Invalid wiring " + wiring + ": allowed values are gpio (PD_SCK and DOUT on"
                + " two GPIO pins) or spi (PD_SCK on MOSI, DOUT on MISO)");
    }

    /** It reads hardware on this machine: Camel and Hawtio list it as local, as they do the timer. */
    @Override
    public boolean isRemote() {
        return false;
    }

    Hx711Wire acquireWire() {
        return getComponent().acquireWire(this);
    }

    void releaseWire(Hx711Wire wire) {
        getComponent().releaseWire(wire);
    }

    public String getName() {
        return name;
    }

    /** Name of the scale; also makes its Pi4J pin ids unique. */
    public void setName(String name) {
        this.name = name;
    }

    public String getWiring() {
        return wiring;
    }

    /**
     * How the HX711 is wired: gpio (PD_SCK and DOUT on two GPIO pins, the clock made by this JVM and timed) or spi
     * (PD_SCK on the SPI bus's MOSI, DOUT on its MISO: the clock is made by hardware, immune to scheduler pauses).
     */
    public void setWiring(String wiring) {
        this.wiring = wiring;
    }

    public int getSpiBus() {
        return spiBus;
    }

    /** With wiring=spi: the SPI bus (/dev/spidev<bus>.<chipSelect>); bus 0 is header pins 19 (MOSI) and 21 (MISO). */
    public void setSpiBus(int spiBus) {
        this.spiBus = spiBus;
    }

    public int getSpiChipSelect() {
        return spiChipSelect;
    }

    /** With wiring=spi: the chip select of the spidev device to open (the HX711 has none: leave CE unconnected). */
    public void setSpiChipSelect(int spiChipSelect) {
        this.spiChipSelect = spiChipSelect;
    }

    public int getSpiSpeed() {
        return spiSpeed;
    }

    /** With wiring=spi: SPI clock in Hz; one PD_SCK pulse is two SPI bits, its high phase one bit (1 µs at 1 MHz). */
    public void setSpiSpeed(int spiSpeed) {
        this.spiSpeed = spiSpeed;
    }

    public int getDataPin() {
        return dataPin;
    }

    /** With wiring=gpio: BCM number of the GPIO pin wired to the HX711's DOUT. */
    public void setDataPin(int dataPin) {
        this.dataPin = dataPin;
    }

    public int getClockPin() {
        return clockPin;
    }

    /** With wiring=gpio: BCM number of the GPIO pin wired to the HX711's PD_SCK. */
    public void setClockPin(int clockPin) {
        this.clockPin = clockPin;
    }

    public int getGain() {
        return gain;
    }

    /** Gain and channel: 128 or 64 read channel A, 32 reads channel B. */
    public void setGain(int gain) {
        this.gain = gain;
    }

    public int getSamples() {
        return samples;
    }

    public String getCombine() {
        return combine;
    }

    /**
     * How the good samples of a reading are combined: median (the middle one: a wild sample cannot move it) or
     * trimmed-mean (the mean after dropping the highest and lowest 20 %: steadier on noise, and keeps the fraction of
     * a count, in the header CamelHx711Counts).
     */
    public void setCombine(String combine) {
        this.combine = combine;
    }

    /** How many good samples make one reading (combined as the option combine says). */
    public void setSamples(int samples) {
        this.samples = samples;
    }

    public int getRate() {
        return rate;
    }

    /** Samples per second the chip's RATE pin is wired for: 10 or 80. */
    public void setRate(int rate) {
        this.rate = rate;
    }

    public long getReadyTimeout() {
        return readyTimeout;
    }

    /** Longest wait in milliseconds for the chip to signal data ready before the poll fails. */
    public void setReadyTimeout(long readyTimeout) {
        this.readyTimeout = readyTimeout;
    }

    public int getClockHighLimit() {
        return clockHighLimit;
    }

    /**
     * Microseconds: a sample in which any clock-high phase took this long is discarded, as the chip powers down
     * after 60 µs high.
     */
    public void setClockHighLimit(int clockHighLimit) {
        this.clockHighLimit = clockHighLimit;
    }

    public long getSettlingTime() {
        return settlingTime;
    }

    /**
     * Milliseconds after power-up or a gain change during which samples are discarded; 0 derives it from the rate
     * (400 ms at 10 SPS, 50 ms at 80 SPS).
     */
    public void setSettlingTime(long settlingTime) {
        this.settlingTime = settlingTime;
    }
}
