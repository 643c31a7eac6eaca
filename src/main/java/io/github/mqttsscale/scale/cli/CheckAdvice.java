package io.github.mqttsscale.scale.cli;

import java.util.List;

import io.github.mqttsscale.hx711.Hx711RejectReason;
import io.github.mqttsscale.hx711.Hx711Wiring;
import io.github.mqttsscale.scale.weighing.LoadCell;

/**
 * The rules of {@code mqtts-scale check} that turn its figures into plain-language findings. Each rule looks at the
 * figures and adds the problems and notes it sees; they are listed in the order of {@link #RULES}. A new rule is a
 * method here taking the figures and the findings, added to {@link #RULES}.
 */
final class CheckAdvice {

    /** A rule: what the figures say, added to the findings. */
    @FunctionalInterface
    interface Rule {
        void apply(CheckFigures figures, CheckFindings findings);
    }

    /** Standard deviation beyond which samples are not readings of a load cell at all. */
    private static final double WILD_NOISE_COUNTS = 100_000;
    private static final double HIGH_NOISE_GRAMS = 10;

    /** Every rule, in the order their findings are listed. */
    static final List<Rule> RULES = List.of(CheckAdvice::timeouts, CheckAdvice::stuckLow, CheckAdvice::randomBits,
            CheckAdvice::saturated, CheckAdvice::clockTiming, CheckAdvice::rate, CheckAdvice::noise);

    private CheckAdvice() {
    }

    static void advise(CheckFigures figures, CheckFindings findings) {
        RULES.forEach(rule -> rule.apply(figures, findings));
    }

    static void timeouts(CheckFigures figures, CheckFindings findings) {
        if (figures.timeouts() == 0) {
            return;
        }
        String message = "DOUT never signalled data ready (never went low) within "
                + figures.settings().readyTimeout().toMillis() + " ms, " + figures.timeouts()
                + " time(s): check VCC to 3.3 V (pin 1) and GND (pin 6), " + dout(figures.settings().wiring())
                + " (a broken DT wire reads high: the scale pulls DOUT up), and that DT and SCK are not swapped.";
        if (figures.good() == 0) {
            findings.problem("Always timeout. " + message);
        } else {
            findings.problem("Intermittent: " + message + " A loose wire?");
        }
    }

    static void stuckLow(CheckFigures figures, CheckFindings findings) {
        if (figures.rejected(Hx711RejectReason.STUCK_LOW) > 0) {
            findings.problem(
                    "DOUT stuck low: it stays low even after the 25th clock pulse, which pulls it high. DOUT is shorted"
                            + " to GND, or the clock does not reach the chip: check " + sck(figures.settings().wiring())
                            + " and that DT and SCK are not swapped.");
        }
    }

    /** On SPI each bit is read twice: two reads that disagree are a DOUT nobody drives (0xFFFFFF is just -1). */
    static void randomBits(CheckFigures figures, CheckFindings findings) {
        int noisy = figures.rejected(Hx711RejectReason.NOISE);
        if (noisy > 0) {
            findings.problem("Random bits on DOUT: in " + noisy + " samples the two reads of a bit disagreed, which a"
                    + " chip never shifts out: DOUT is floating. Check " + dout(figures.settings().wiring())
                    + " and the pull-up on MISO (gpio=9=pu in /boot/firmware/config.txt for SPI bus 0, then reboot;"
                    + " the Pi 5 may not keep it).");
        }
    }

    static void saturated(CheckFigures figures, CheckFindings findings) {
        if (figures.rejected(Hx711RejectReason.SATURATED) > 0) {
            findings.problem(
                    "Saturated samples (0x7FFFFF/0x800000): the load-cell signal is out of range. Check the load-cell"
                            + " wires at E+, E-, A+, A- (a loose A+ or A- saturates), and that the load cell is not overloaded.");
        }
    }

    /**
     * With the GPIO wiring, most samples rejected for clock timing (a sample rejected for another reason, DOUT stuck,
     * was clocked in time all the same): this machine cannot keep PD_SCK's high
     * phases under the chip's limit, and the SPI wiring, whose clock the SPI hardware makes, is the fix. A few such
     * rejections are the JVM warming up.
     */
    static void clockTiming(CheckFigures figures, CheckFindings findings) {
        int timing = figures.rejected(Hx711RejectReason.TIMING);
        int sampled = figures.good() + figures.allRejected();
        if (timing * 2 > sampled && figures.settings().wiring() instanceof Hx711Wiring.Gpio gpio) {
            findings.problem(timing + " of " + sampled + " samples were rejected for clock timing:"
                    + " this machine cannot keep the HX711's clock pulse under the chip's limit of "
                    + figures.settings().clockHighLimit().toNanos() / 1000 + " µs with the gpio wiring (the chip"
                    + " powers down at 60 µs). Clock-high phases measured: " + figures.clockHigh() + ". Use the spi"
                    + " wiring, whose clock the SPI hardware makes, one SPI bit high whatever the machine does: "
                    + gpio.moveToSpi() + ", set scale.hx711.wiring: spi (" + LoadCell.SPI_WIRING_DOCS + ") and check"
                    + " again.");
        } else if (timing > 0 && figures.good() == 0 && timing == figures.allRejected()) {
            findings.problem(
                    "Every sample was rejected for clock timing (a clock-high phase of 60 µs powers the HX711 down):"
                            + " the system is too busy or the JVM is still warming up. Stop other load and check again.");
        } else if (timing > 0) {
            findings.note(timing
                    + " sample(s) rejected for clock timing: normal while the JVM warms up; the scale discards them.");
        }
    }

    /** The median conversion interval against the configured RATE: the board's RATE pin says otherwise. */
    static void rate(CheckFigures figures, CheckFindings findings) {
        if (figures.intervalMs().isEmpty()) {
            return;
        }
        double measuredMs = figures.intervalMs().getAsDouble();
        int rate = figures.settings().rate();
        if (measuredMs < figures.expectedMs() * 0.5) {
            findings.problem(String.format(
                    "Conversions come every %.1f ms (about %.0f samples/s), but scale.hx711.rate is %d:"
                            + " the board's RATE pin is high (80 samples/s). Set scale.hx711.rate: 80, or wire RATE to GND for 10.",
                    measuredMs, 1000 / measuredMs, rate));
        } else if (measuredMs > figures.expectedMs() * 4) {
            findings.problem(
                    String.format("Conversions come only every %.1f ms, but scale.hx711.rate is %d: the board's RATE"
                            + " pin is low (10 samples/s). Set scale.hx711.rate: 10.", measuredMs, rate));
        }
    }

    static void noise(CheckFigures figures, CheckFindings findings) {
        figures.reading().ifPresent(reading -> {
            Hx711Wiring wiring = figures.settings().wiring();
            if (reading.stdDev() > WILD_NOISE_COUNTS) {
                findings.problem(
                        "The samples jump wildly: DT and SCK may be swapped, DOUT may be floating (loose DT wire), or a"
                                + " load-cell wire is loose. Check DT to " + wiring.dataLine() + " and SCK to "
                                + wiring.clockLine() + ".");
            } else if (reading.grams() > HIGH_NOISE_GRAMS) {
                findings.note(String.format(
                        "Noise of %.1f g is high: keep the load-cell wires short and twisted, away from power"
                                + " wires, check the E+/E-/A+/A- screw terminals, and that nothing touches the scale.",
                        reading.grams()));
            }
        });
    }

    private static String dout(Hx711Wiring wiring) {
        return "DOUT (DT) to " + wiring.dataLine();
    }

    private static String sck(Hx711Wiring wiring) {
        return "PD_SCK (SCK) to " + wiring.clockLine();
    }
}
