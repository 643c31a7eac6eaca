package io.github.mqttsscale.hx711;

/**
 * A reading failed only because clock-high phases may have reached the chip's 60 µs: the machine was too busy (or
 * the JVM still cold), not a sensor fault. The consumer does not back off for it.
 */
public class Hx711TimingException extends Hx711Exception {

    public Hx711TimingException(String message) {
        super(message);
    }
}
