package io.github.mqttsscale.hx711;

/** One sample was unusable; {@link Hx711Driver#read()} retries, a direct caller of readSample() decides. */
public class Hx711SampleRejectedException extends Hx711Exception {

    private final Hx711RejectReason reason;

    public Hx711SampleRejectedException(Hx711RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Hx711RejectReason reason() {
        return reason;
    }
}
