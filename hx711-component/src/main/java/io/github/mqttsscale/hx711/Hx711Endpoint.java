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
 * reading, the median of several good samples.
 */
@UriEndpoint(scheme = "hx711", syntax = "hx711:name", consumerOnly = true, title = "HX711",
             category = { Category.IOT }, headersClass = Hx711Constants.class, firstVersion = "0.1.0")
public class Hx711Endpoint extends ScheduledPollEndpoint {

    @UriPath
    @Metadata(required = true)
    private String name;
    @UriParam(defaultValue = "5")
    private int dataPin = 5;
    @UriParam(defaultValue = "6")
    private int clockPin = 6;
    @UriParam(defaultValue = "128", enums = "128,64,32")
    private int gain = 128;
    @UriParam(defaultValue = "5")
    private int samples = 5;
    @UriParam(defaultValue = "10", enums = "10,80")
    private int rate = 10;
    @UriParam(defaultValue = "1000", javaType = "java.time.Duration")
    private long readyTimeout = 1000;
    @UriParam(label = "advanced", defaultValue = "60")
    private int clockHighLimit = 60;
    @UriParam(label = "advanced", defaultValue = "0", javaType = "java.time.Duration")
    private long settlingTime;

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
        return new Hx711Settings(dataPin, clockPin, Hx711Gain.of(gain), samples, rate, Duration.ofMillis(readyTimeout),
                Duration.ofNanos(clockHighLimit * 1000L), Duration.ofMillis(settlingTime));
    }

    Hx711Pins openPins() {
        return getComponent().openPins(name, settings());
    }

    public String getName() {
        return name;
    }

    /** Name of the scale; also makes its Pi4J pin ids unique. */
    public void setName(String name) {
        this.name = name;
    }

    public int getDataPin() {
        return dataPin;
    }

    /** BCM number of the GPIO pin wired to the HX711's DOUT. */
    public void setDataPin(int dataPin) {
        this.dataPin = dataPin;
    }

    public int getClockPin() {
        return clockPin;
    }

    /** BCM number of the GPIO pin wired to the HX711's PD_SCK. */
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

    /** How many good samples make one reading (their median). */
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
