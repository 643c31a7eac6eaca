package io.github.mqttsscale.hx711;

/** Simulated HX711s by endpoint, for several simulated load cells in one CamelContext. */
@FunctionalInterface
public interface Hx711Simulators {

    /**
     * @param  endpointName the name in {@code hx711:name}
     * @return              the simulated HX711 that endpoint reads, or null for the real one on its pins
     */
    Hx711Simulator forEndpoint(String endpointName);
}
