package io.github.mqttsscale.hx711;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

import com.pi4j.context.Context;

/** Reads HX711 load-cell amplifiers on Raspberry Pi GPIO pins, or a simulated one. */
@org.apache.camel.spi.annotations.Component("hx711")
public class Hx711Component extends DefaultComponent {

    @Metadata(autowired = true, label = "advanced",
            description = "A simulated HX711: when set, every endpoint reads from it instead of GPIO pins or SPI.")
    private Hx711Simulator simulator;
    @Metadata(autowired = true, label = "advanced",
            description = "The chips by endpoint name: the settings of the chip hx711:name reads (the options its URI"
                    + " gives apply over them), and its simulated chip, which it then reads instead of the simulator"
                    + " option, GPIO pins or SPI.")
    private Hx711Chips chips;
    @Metadata(autowired = true, label = "advanced",
            description = "The Pi4J context whose digital providers create the GPIO pins. When neither this nor a"
                    + " simulator is set, the component creates one with the gpiod providers (no root needed)"
                    + " and shuts it down when it stops.")
    private Context pi4jContext;

    private Context ownedContext;
    private final Map<String, SharedWire> wires = new HashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Hx711Endpoint endpoint = new Hx711Endpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        Hx711Settings settings = endpoint.settings(); // validates, so that a bad option fails here and names itself
        if (settings.wiring() instanceof Hx711Wiring.Spi spi) {
            requireBusOfItsOwn(remaining, spi);
        }
        return endpoint;
    }

    /**
     * The HX711 has no chip select: every chip on a bus would take every transfer's clock as its own. So a bus
     * carries one chip, which one endpoint name reads (several URIs with that name are that one chip).
     */
    private void requireBusOfItsOwn(String name, Hx711Wiring.Spi spi) {
        for (Endpoint other : getCamelContext().getEndpoints()) {
            if (other instanceof Hx711Endpoint hx711 && !hx711.getName().equals(name)
                    && hx711.settings().wiring() instanceof Hx711Wiring.Spi otherSpi && otherSpi.bus() == spi.bus()) {
                throw new Hx711InvalidOptionException("spiBus", "Invalid spiBus " + spi.bus() + ": hx711:"
                        + hx711.getName() + " already reads the HX711 on SPI bus " + spi.bus()
                        + ", and the HX711 has no chip select, so one bus carries one chip (a chip select of the bus"
                        + " does not make another): wire this one to another bus (spiBus) or to two GPIO pins"
                        + " (wiring=gpio)");
            }
        }
    }

    public Hx711Simulator getSimulator() {
        return simulator;
    }

    public void setSimulator(Hx711Simulator simulator) {
        this.simulator = simulator;
    }

    public Hx711Chips getChips() {
        return chips;
    }

    public void setChips(Hx711Chips chips) {
        this.chips = chips;
    }

    public Context getPi4jContext() {
        return pi4jContext;
    }

    public void setPi4jContext(Context pi4jContext) {
        this.pi4jContext = pi4jContext;
    }

    /** How long most GPIO samples of the chip hx711:name reads must fail the clock timing before it is too slow. */
    java.time.Duration chipTooSlowWindow(String endpointName) {
        return chips == null ? Hx711ClockTiming.DEFAULT_WINDOW : chips.tooSlowWindow(endpointName);
    }

    /** The settings of the chip hx711:name reads, before its URI's options: the chips', or the defaults. */
    Hx711Settings chipSettings(String endpointName) {
        return chips == null
                ? Hx711Settings.defaults()
                : chips.settings(endpointName).orElseGet(Hx711Settings::defaults);
    }

    /**
     * The wire of the chip these settings name, opened at its first use and kept for the component's lifetime: Pi4J
     * 2.8.0's gpiod plugin gives a GPIO line back only when its context shuts down, so a route reloaded after an
     * edit must find the pins it had, not ask Linux for them again ("Device or resource busy").
     *
     * @throws IllegalStateException when another consumer reads that chip now
     */
    synchronized Hx711Wire acquireWire(Hx711Endpoint endpoint) {
        String name = endpoint.getName();
        Hx711Wiring wiring = endpoint.settings().wiring();
        String key = wiring.describe();
        SharedWire shared = wires.get(key);
        if (shared == null) {
            Hx711Simulator simulated = chips == null ? simulator : chips.simulator(name).orElse(simulator);
            shared = new SharedWire(simulated != null ? wiring.wire(simulated) : open(wiring, name));
            wires.put(key, shared);
        } else if (shared.user != null) {
            throw new IllegalStateException("The HX711 on " + key + " is already read by hx711:" + shared.user
                    + ": one chip can only be read by one route at a time");
        }
        shared.user = name;
        return shared.wire;
    }

    private Hx711Wire open(Hx711Wiring wiring, String name) {
        try {
            return wiring.open(this::gpioContext, "hx711-" + name);
        } catch (RuntimeException e) {
            throw new Hx711Exception("Cannot open the HX711's lines " + wiring.describe() + " (" + e.getMessage()
                    + "): they need " + wiring.whatOpeningNeeds(), e);
        }
    }

    /** The consumer of this wire stopped; the wire stays open for the next one. */
    synchronized void releaseWire(Hx711Wire wire) {
        wires.values().stream().filter(shared -> shared.wire == wire).forEach(shared -> shared.user = null);
    }

    private synchronized Context gpioContext() {
        if (pi4jContext != null) {
            return pi4jContext;
        }
        if (ownedContext == null) {
            ownedContext = Hx711Pins.newGpiodContext();
        }
        return ownedContext;
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        Context context;
        synchronized (this) {
            wires.values().forEach(shared -> shared.wire.close());
            wires.clear();
            context = ownedContext;
            ownedContext = null;
        }
        if (context != null) {
            context.shutdown();
        }
    }

    private static final class SharedWire {

        private final Hx711Wire wire;
        /** The endpoint name of the consumer reading it now, or null. */
        private String user;

        private SharedWire(Hx711Wire wire) {
            this.wire = wire;
        }
    }
}
