package io.github.mqttsscale.hx711;

import java.time.Duration;
import java.util.Optional;

/**
 * The chips an application's {@code hx711:name} endpoints read, found by the endpoint's name as Camel finds a timer
 * by its name: a route says {@code hx711:keg-1} and the application supplies that chip's wiring and sampling, and its
 * simulated chip when it has one. Autowired into the component by type.
 */
@FunctionalInterface
public interface Hx711Chips {

    /**
     * @param  endpointName the name in {@code hx711:name}
     * @return              the settings of the chip that endpoint reads, or empty: the endpoint's own options over
     *                      {@link Hx711Settings#defaults()}. Options given in the endpoint's URI apply over them
     *                      either way.
     */
    Optional<Hx711Settings> settings(String endpointName);

    /**
     * @param  endpointName the name in {@code hx711:name}
     * @return              the simulated chip that endpoint reads, or empty: the component's simulator when it has
     *                      one, else the real chip on its pins
     */
    default Optional<Hx711Simulator> simulator(String endpointName) {
        return Optional.empty();
    }

    /**
     * @param  endpointName the name in {@code hx711:name}
     * @return              how long most samples of that chip's GPIO wiring must be rejected for clock timing before the
     *                      machine is called too slow for it ({@link Hx711Driver#tooSlowForGpio()}): a minute unless
     *                      the application says otherwise
     */
    default Duration tooSlowWindow(String endpointName) {
        return Hx711ClockTiming.DEFAULT_WINDOW;
    }
}
