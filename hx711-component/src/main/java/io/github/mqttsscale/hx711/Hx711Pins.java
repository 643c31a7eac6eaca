package io.github.mqttsscale.hx711;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;

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
