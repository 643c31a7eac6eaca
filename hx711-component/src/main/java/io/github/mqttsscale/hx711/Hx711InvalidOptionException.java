package io.github.mqttsscale.hx711;

/** An option of the chip's that cannot be used, with the option's name, so that a setting can name itself. */
public class Hx711InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;

    /**
     * @param option  the endpoint option (and the application's setting of the same name), e.g. {@code gain}
     * @param message what is wrong and the allowed values
     */
    public Hx711InvalidOptionException(String option, String message) {
        super(message);
        this.option = option;
    }

    /** The option that cannot be used, as the endpoint names it. */
    public String option() {
        return option;
    }
}
