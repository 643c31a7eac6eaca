package io.github.mqttsscale.scale.weighing;

/** A new median reading of the load cell, taken now (not the last published one). */
@FunctionalInterface
public interface FreshReading {

    /**
     * @return the raw median count
     * @throws IllegalStateException starting with "sensor not ready" when there is no good reading
     */
    int raw();
}
