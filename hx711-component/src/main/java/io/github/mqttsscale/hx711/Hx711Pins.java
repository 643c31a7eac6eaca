package io.github.mqttsscale.hx711;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;

/** The two GPIO lines of one HX711 and how to give them back. */
public final class Hx711Pins implements AutoCloseable {

    private final DigitalOutput clock;
    private final DigitalInput data;
    private final Runnable release;

    public Hx711Pins(DigitalOutput clock, DigitalInput data, Runnable release) {
        this.clock = clock;
        this.data = data;
        this.release = release;
    }

    /**
     * Opens real pins in the given Pi4J context (its default digital providers, e.g. gpiod). PD_SCK starts and
     * stays low when released, which keeps the chip powered.
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
            // the HX711 drives DOUT actively: a pull resistor would only hide a broken wire
            data = context.create(DigitalInput.newConfigBuilder(context)
                    .id(dataId).name("HX711 DOUT").address(dataPin).pull(PullResistance.OFF));
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
     * closing the pins ends the context.
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
    public void close() {
        release.run();
    }
}
