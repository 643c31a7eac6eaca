package io.github.mqttsscale.hx711;

/** DOUT never went low: the chip is unpowered, unplugged or wired to other pins. */
public class Hx711NotReadyException extends Hx711Exception {

    public Hx711NotReadyException(String message) {
        super(message);
    }
}
