package io.github.mqttsscale.scale.weighing;

import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;

import io.github.mqttsscale.hx711.Hx711Consumer;
import io.github.mqttsscale.hx711.Hx711Exception;

/**
 * The load cell as the running routes read it: the consumer of the route that starts {@code from: hx711:...},
 * whatever that route is called, so that tare and calibration read the very sensor the scale publishes.
 */
public class LoadCell implements FreshReading {

    private final CamelContext camel;

    public LoadCell(CamelContext camel) {
        this.camel = camel;
    }

    /** The started hx711 consumer, if a route reads one. */
    public Optional<Hx711Consumer> consumer() {
        for (Route route : camel.getRoutes()) {
            if (route.getConsumer() instanceof Hx711Consumer consumer && consumer.isStarted()) {
                return Optional.of(consumer);
            }
        }
        return Optional.empty();
    }

    @Override
    public int raw() {
        Hx711Consumer consumer = consumer().orElseThrow(() -> new IllegalStateException(
                "sensor not ready: no route reading from hx711: is running"));
        try {
            return consumer.readNow().raw();
        } catch (Hx711Exception e) {
            throw new IllegalStateException("sensor not ready: " + e.getMessage(), e);
        }
    }
}
