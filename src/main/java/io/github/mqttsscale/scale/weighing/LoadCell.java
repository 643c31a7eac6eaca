package io.github.mqttsscale.scale.weighing;

import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;

import io.github.mqttsscale.hx711.Hx711Consumer;
import io.github.mqttsscale.hx711.Hx711Exception;
import io.github.mqttsscale.hx711.Hx711RejectReason;

/**
 * The load cell as the running routes read it: the consumer of the route that starts {@code from: hx711:...},
 * whatever that route is called, so that tare and calibration read the very sensor the scale publishes.
 */
public class LoadCell implements FreshReading {

    /** Where the SPI wiring is drawn: the package puts the README and the drawings there. */
    public static final String SPI_WIRING_DOCS = "the README's wiring section and wiring-spi.svg in"
            + " /usr/share/doc/mqtts-scale show it";

    /** Asked when needed: the scales exist before Camel, which needs some of their beans to start. */
    private final Supplier<CamelContext> camel;
    private final String routeId;

    /** Why its route could not start, while it cannot. */
    private volatile String startFailure;

    public LoadCell(Supplier<CamelContext> camel, String routeId) {
        this.camel = camel;
        this.routeId = routeId;
    }

    /** The started hx711 consumer of the scale's route, if it runs. */
    public Optional<Hx711Consumer> consumer() {
        Route route = camel.get().getRoute(routeId);
        return route != null && route.getConsumer() instanceof Hx711Consumer consumer && consumer.isStarted()
                ? Optional.of(consumer)
                : Optional.empty();
    }

    /** Its route could not start, for this reason (null: it runs now). */
    public void startFailed(String reason) {
        startFailure = reason;
    }

    /** Why it gives no readings now: its route does not run, or its last poll failed; empty while it reads. */
    public Optional<String> problem() {
        return consumer().map(consumer -> Optional.ofNullable(consumer.getLastPollFailure()))
                .orElseGet(() -> Optional.of(notRunningReason()));
    }

    /**
     * Whether its last poll failed because the samples were at the HX711's rails (0x7FFFFF, 0x800000): an input the
     * chip cannot measure, so the scale says why it gives no weight instead of only going quiet.
     */
    public Optional<String> saturation() {
        return consumer().map(Hx711Consumer::getLastPollFailure)
                .filter(failure -> failure.contains(Hx711RejectReason.SATURATED.label()))
                .map(failure -> "the HX711 reads at its limits (0x7FFFFF or 0x800000) instead of a weight: the load "
                        + "cell is overloaded beyond what the chip measures, a wire of the load cell (E+, E-, A+, A-) is "
                        + "loose or broken, or the gain is too high for the cell; take load off and check the wiring ("
                        + failure + ")");
    }

    /**
     * Whether the chip converts at another rate than scale.hx711.rate says, as its driver measured: until it is fixed
     * every sample waits the longer settling time, and the board's RATE pin wants a look.
     */
    public Optional<String> rateMismatch() {
        return consumer().map(Hx711Consumer::getRateMismatch).filter(mismatch -> !mismatch.isEmpty())
                .map(mismatch -> mismatch.replace("rate is", "scale.hx711.rate is")
                        .replace("set rate to", "set scale.hx711.rate to"));
    }

    /**
     * Whether this machine cannot keep the GPIO wiring's clock pulses under the chip's limit, as its driver found over
     * scale.hx711.too-slow-after (most samples rejected for clock timing): what it measured and the SPI wiring that
     * fixes it, with the pins to move. Never with the SPI wiring.
     */
    public Optional<String> tooSlowForGpio() {
        return consumer().map(Hx711Consumer::getTooSlowForGpio).filter(tooSlow -> !tooSlow.isEmpty())
                .map(tooSlow -> tooSlow.replace("set wiring=spi",
                        "set scale.hx711.wiring: spi (" + SPI_WIRING_DOCS + ")"));
    }

    /** Why the route is not running: why it could not start, or that it is not there. */
    public String notRunningReason() {
        String failure = startFailure;
        return failure != null
                ? "the route " + routeId + " cannot start: " + failure
                : "the route " + routeId + " is not running";
    }

    @Override
    public int raw() {
        Hx711Consumer consumer = consumer().orElseThrow(() -> new IllegalStateException(
                "sensor not ready: " + notRunningReason()));
        try {
            return consumer.readNow().raw();
        } catch (Hx711Exception e) {
            throw new IllegalStateException("sensor not ready: " + e.getMessage(), e);
        }
    }
}
