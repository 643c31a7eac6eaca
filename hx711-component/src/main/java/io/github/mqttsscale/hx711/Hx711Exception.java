package io.github.mqttsscale.hx711;

/**
 * A reading could not be made, or the chip's lines not opened. Never accompanied by a value: callers get either a true
 * reading or this.
 */
public class Hx711Exception extends RuntimeException {

    public Hx711Exception(String message) {
        super(message);
    }

    public Hx711Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
