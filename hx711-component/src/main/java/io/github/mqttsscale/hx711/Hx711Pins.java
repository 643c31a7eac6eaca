package io.github.mqttsscale.hx711;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;

/**
 * The two GPIO lines of one HX711, the clock bit-banged from Java: every clock-high phase is timed, because Linux
 * may pause this thread at any moment and the chip powers down after 60 µs high.
 */
public final class Hx711Pins implements Hx711Wire {

    private static final int DATA_BITS = 24;

    private final DigitalOutput clock;
    private final DigitalInput data;
    private final Runnable release;

    public Hx711Pins(DigitalOutput clock, DigitalInput data, Runnable release) {
        this.clock = clock;
        this.data = data;
        this.release = release;
    }

    /**
     * Opens pins in the given Pi4J context (its default digital providers, e.g. gpiod). PD_SCK starts and stays low
     * when released, which keeps the chip powered. DOUT gets a pull-up: the chip drives it, and an unplugged DOUT
     * then reads "not ready" (a clear error) instead of floating and giving random bits that pass every check.
     *
     * @param idPrefix makes the Pi4J ids unique when several scales share a context
     */
    public static Hx711Pins open(Context context, String idPrefix, int dataPin, int clockPin) {
        String clockId = idPrefix + "-pd-sck";
        String dataId = idPrefix + "-dout";
        DigitalOutput clock = context.create(DigitalOutput.newConfigBuilder(context)
                .id(clockId).name("HX711 PD_SCK").address(clockPin)
                .initial(DigitalState.LOW).shutdown(DigitalState.LOW));
        DigitalInput data;
        try {
            data = context.create(DigitalInput.newConfigBuilder(context)
                    .id(dataId).name("HX711 DOUT").address(dataPin).pull(PullResistance.PULL_UP));
        } catch (RuntimeException e) {
            context.shutdown(clockId);
            throw e;
        }
        return new Hx711Pins(clock, data, () -> {
            context.shutdown(dataId);
            context.shutdown(clockId);
        });
    }

    /**
     * Opens real pins in a Pi4J context of their own on Linux's GPIO character device (gpiod, no root needed);
     * closing the pins ends the context, the only way Pi4J 2.8.0's gpiod plugin gives the lines back.
     */
    public static Hx711Pins openGpiod(String idPrefix, int dataPin, int clockPin) {
        Context context = newGpiodContext();
        try {
            Hx711Pins pins = open(context, idPrefix, dataPin, clockPin);
            return new Hx711Pins(pins.clock, pins.data, () -> {
                pins.close();
                context.shutdown();
            });
        } catch (RuntimeException e) {
            context.shutdown();
            throw e;
        }
    }

    /** Created only when needed, so that machines without GPIO (tests, simulators) never touch libgpiod. */
    static Context newGpiodContext() {
        return Pi4J.newContextBuilder()
                .add(GpioDDigitalInputProvider.newInstance(), GpioDDigitalOutputProvider.newInstance())
                .build();
    }

    public DigitalOutput clock() {
        return clock;
    }

    public DigitalInput data() {
        return data;
    }

    @Override
    public boolean isDataReady() {
        return data.isLow();
    }

    @Override
    public Hx711ClockedBits clockOut(int pulses, long clockHighLimitNanos, Hx711ClockHighHistogram histogram) {
        return clockOut(pulses, clockHighLimitNanos, histogram, DigitalState.HIGH);
    }

    @Override
    public long rehearseClockOut(int pulses) {
        // PD_SCK is low between reads: writing LOW where HIGH would go runs the same code without an edge
        return clockOut(pulses, Long.MAX_VALUE, null, DigitalState.LOW).highNanos();
    }

    /**
     * The chip shifts out its next bit on each rising edge. A phase's true length lies between the time from after
     * high() returned to before low() was called and the time from before high() to after low() returned; only the
     * second bound below the limit makes the sample surely good.
     */
    private Hx711ClockedBits clockOut(int pulses, long limit, Hx711ClockHighHistogram histogram, DigitalState high) {
        int raw = 0;
        long longest = 0;
        for (int pulse = 1; pulse <= pulses; pulse++) {
            long beforeRise = System.nanoTime();
            clock.state(high);
            long afterRise = System.nanoTime();
            boolean bit = data.isHigh();
            long beforeFall = System.nanoTime();
            clock.low();
            long afterFall = System.nanoTime();
            long most = afterFall - beforeRise;
            if (histogram != null) {
                histogram.record(most);
            }
            if (most >= limit) {
                Hx711ClockedBits.Timing timing = beforeFall - afterRise >= limit
                        ? Hx711ClockedBits.Timing.TOO_LONG
                        : Hx711ClockedBits.Timing.UNCERTAIN;
                return new Hx711ClockedBits(raw, timing, pulse, most, false);
            }
            longest = Math.max(longest, most);
            if (pulse <= DATA_BITS) {
                raw = (raw << 1) | (bit ? 1 : 0);
            }
        }
        return new Hx711ClockedBits(raw, Hx711ClockedBits.Timing.OK, 0, longest, data.isHigh());
    }

    @Override
    public void clockHigh() {
        clock.high();
    }

    @Override
    public void clockLow() {
        clock.low();
    }

    @Override
    public String describe() {
        return wiring().describe();
    }

    @Override
    public String dataLine() {
        return wiring().dataLine();
    }

    private Hx711Wiring wiring() {
        return new Hx711Wiring.Gpio(data.address().intValue(), clock.address().intValue());
    }

    @Override
    public void close() {
        release.run();
    }
}
