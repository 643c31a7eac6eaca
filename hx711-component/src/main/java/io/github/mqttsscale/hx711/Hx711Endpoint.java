package io.github.mqttsscale.hx711;

import static java.util.Objects.requireNonNullElse;

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
 * <p>
 * The chip's settings are found by the endpoint's name ({@link Hx711Chips}, when the application has one), else
 * they are {@link Hx711Settings#defaults()}; each option given in the URI applies over them. A field left null is an
 * option the URI does not give: the defaultValue of its annotation documents the default, which
 * {@link Hx711Settings#defaults()} holds.
 */
@UriEndpoint(scheme = "hx711", syntax = "hx711:name", consumerOnly = true, remote = false, title = "HX711",
        category = Category.IOT, headersClass = Hx711Constants.class, firstVersion = "0.1.0")
public class Hx711Endpoint extends ScheduledPollEndpoint {

    @UriPath
    @Metadata(required = true)
    private String name;
    @UriParam(defaultValue = "gpio", enums = "gpio,spi")
    private String wiring;
    @UriParam(defaultValue = "5")
    private Integer dataPin;
    @UriParam(defaultValue = "6")
    private Integer clockPin;
    @UriParam(defaultValue = "128", enums = "128,64,32")
    private Integer gain;
    @UriParam(defaultValue = "5")
    private Integer samples;
    @UriParam(defaultValue = "median", enums = "median,trimmed-mean")
    private String combine;
    @UriParam(defaultValue = "10", enums = "10,80")
    private Integer rate;
    @UriParam(defaultValue = "1000", javaType = "java.time.Duration")
    private Long readyTimeout;
    @UriParam(label = "advanced", defaultValue = "50")
    private Integer clockHighLimit;
    @UriParam(label = "advanced", defaultValue = "0", javaType = "java.time.Duration")
    private Long settlingTime;
    @UriParam(label = "spi", defaultValue = "0")
    private Integer spiBus;
    @UriParam(label = "spi", defaultValue = "0")
    private Integer spiChipSelect;
    @UriParam(label = "spi", defaultValue = "1000000")
    private Integer spiSpeed;

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

    /**
     * The chip's settings: those found by this endpoint's name (or the defaults), with every option the URI gives
     * over them.
     *
     * @throws IllegalArgumentException naming the bad option
     */
    public Hx711Settings settings() {
        Hx711Settings chip = getComponent().chipSettings(name);
        return new Hx711Settings(wiring(chip.wiring()), gain != null ? Hx711Gain.of(gain) : chip.gain(),
                samples != null ? samples : chip.samples(),
                combine != null ? Hx711Combine.of(combine) : chip.combine(), rate != null ? rate : chip.rate(),
                readyTimeout != null ? Duration.ofMillis(readyTimeout) : chip.readyTimeout(),
                clockHighLimit != null ? Duration.ofNanos(clockHighLimit * 1000L) : chip.clockHighLimit(),
                settlingTime != null ? Duration.ofMillis(settlingTime) : chip.settlingTime());
    }

    /** The chip's wiring, or the one the options name: pins the options leave out are the chip's or the defaults. */
    private Hx711Wiring wiring(Hx711Wiring chip) {
        String kind = wiring != null ? wiring : chip instanceof Hx711Wiring.Spi ? "spi" : "gpio";
        if ("spi".equalsIgnoreCase(kind)) {
            Hx711Wiring.Spi base = chip instanceof Hx711Wiring.Spi spi ? spi : Hx711Wiring.Spi.defaults();
            return new Hx711Wiring.Spi(requireNonNullElse(spiBus, base.bus()),
                    requireNonNullElse(spiChipSelect, base.chipSelect()), requireNonNullElse(spiSpeed, base.speedHz()));
        }
        if ("gpio".equalsIgnoreCase(kind)) {
            Hx711Wiring.Gpio base = chip instanceof Hx711Wiring.Gpio gpio ? gpio : Hx711Wiring.Gpio.defaults();
            return new Hx711Wiring.Gpio(requireNonNullElse(dataPin, base.dataPin()),
                    requireNonNullElse(clockPin, base.clockPin()));
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

    public Integer getSpiBus() {
        return spiBus;
    }

    /** With wiring=spi: the SPI bus (/dev/spidev<bus>.<chipSelect>); bus 0 is header pins 19 (MOSI) and 21 (MISO). */
    public void setSpiBus(Integer spiBus) {
        this.spiBus = spiBus;
    }

    public Integer getSpiChipSelect() {
        return spiChipSelect;
    }

    /** With wiring=spi: the chip select of the spidev device to open (the HX711 has none: leave CE unconnected). */
    public void setSpiChipSelect(Integer spiChipSelect) {
        this.spiChipSelect = spiChipSelect;
    }

    public Integer getSpiSpeed() {
        return spiSpeed;
    }

    /**
     * With wiring=spi: SPI clock in Hz, 100000 to 1000000; one PD_SCK pulse is two SPI bits, its high phase one bit
     * (1 µs at 1 MHz).
     */
    public void setSpiSpeed(Integer spiSpeed) {
        this.spiSpeed = spiSpeed;
    }

    public Integer getDataPin() {
        return dataPin;
    }

    /** With wiring=gpio: BCM number of the GPIO pin wired to the HX711's DOUT. */
    public void setDataPin(Integer dataPin) {
        this.dataPin = dataPin;
    }

    public Integer getClockPin() {
        return clockPin;
    }

    /** With wiring=gpio: BCM number of the GPIO pin wired to the HX711's PD_SCK. */
    public void setClockPin(Integer clockPin) {
        this.clockPin = clockPin;
    }

    public Integer getGain() {
        return gain;
    }

    /** Gain and channel: 128 or 64 read channel A, 32 reads channel B. */
    public void setGain(Integer gain) {
        this.gain = gain;
    }

    public Integer getSamples() {
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
    public void setSamples(Integer samples) {
        this.samples = samples;
    }

    public Integer getRate() {
        return rate;
    }

    /** Samples per second the chip's RATE pin is wired for: 10 or 80. */
    public void setRate(Integer rate) {
        this.rate = rate;
    }

    public Long getReadyTimeout() {
        return readyTimeout;
    }

    /** Longest wait in milliseconds for the chip to signal data ready before the poll fails. */
    public void setReadyTimeout(Long readyTimeout) {
        this.readyTimeout = readyTimeout;
    }

    public Integer getClockHighLimit() {
        return clockHighLimit;
    }

    /**
     * Microseconds, at most 50: a sample in which any clock-high phase took this long is discarded, as the datasheet
     * allows PD_SCK high for 50 µs at most and the chip powers down after 60 µs high.
     */
    public void setClockHighLimit(Integer clockHighLimit) {
        this.clockHighLimit = clockHighLimit;
    }

    public Long getSettlingTime() {
        return settlingTime;
    }

    /**
     * Milliseconds after power-up or a gain change during which samples are discarded; 0 derives it from the rate
     * (400 ms at 10 SPS, 50 ms at 80 SPS).
     */
    public void setSettlingTime(Long settlingTime) {
        this.settlingTime = settlingTime;
    }
}
