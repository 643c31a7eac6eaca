package io.github.mqttsscale.hx711;

import java.util.Map;

import com.pi4j.context.Context;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/** Reads HX711 load-cell amplifiers on Raspberry Pi GPIO pins, or a simulated one. */
@org.apache.camel.spi.annotations.Component("hx711")
public class Hx711Component extends DefaultComponent {

    @Metadata(autowired = true, label = "advanced",
              description = "A simulated HX711: when set, every endpoint reads from it instead of GPIO pins.")
    private Hx711Simulator simulator;
    @Metadata(autowired = true, label = "advanced",
              description = "The Pi4J context whose digital providers create the GPIO pins. When neither this nor a"
                            + " simulator is set, the component creates one with the gpiod providers (no root needed)"
                            + " and shuts it down when it stops.")
    private Context pi4jContext;

    private Context ownedContext;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Hx711Endpoint endpoint = new Hx711Endpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.settings(); // validates, so that a bad option fails here and names itself
        return endpoint;
    }

    public Hx711Simulator getSimulator() {
        return simulator;
    }

    public void setSimulator(Hx711Simulator simulator) {
        this.simulator = simulator;
    }

    public Context getPi4jContext() {
        return pi4jContext;
    }

    public void setPi4jContext(Context pi4jContext) {
        this.pi4jContext = pi4jContext;
    }

    Hx711Pins openPins(String name, Hx711Settings settings) {
        if (simulator != null) {
            return simulator.wire(settings.dataPin(), settings.clockPin());
        }
        return Hx711Pins.open(gpioContext(), "hx711-" + name, settings.dataPin(), settings.clockPin());
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
            context = ownedContext;
            ownedContext = null;
        }
        if (context != null) {
            context.shutdown();
        }
    }
}
