package io.github.mqttsscale.hx711;

import java.util.HashSet;
import java.util.Set;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;

/**
 * A simulated chip's GPIO wire: Pi4J mock pins with the chip on the other end, behaving as Pi4J 2.8.0's gpiod plugin
 * does on a Pi: once requested, a line stays requested until the simulator closes, so asking for the same pins
 * again fails. Guarded by the chip's lock.
 */
final class SimulatedGpio {

    private static final int SCRATCH_PULSES = 50_000;
    private static volatile boolean edgeCodeCompiled;

    private final SimulatedChip chip;
    private final SimulatedFaults faults;
    private final Set<Integer> requestedLines = new HashSet<>();
    private Context gpio;

    SimulatedGpio(SimulatedChip chip, SimulatedFaults faults) {
        this.chip = chip;
        this.faults = faults;
    }

    /**
     * Creates mock pins at these BCM addresses with the chip on the other end, the same way the component requests
     * real ones ({@link Hx711Pins#open}); the chip moves to them from the wire before. Closing the returned pins
     * unwires them, but like gpiod's lines they stay requested until the simulator closes.
     *
     * @throws IllegalStateException "Device or resource busy" when a pin was requested before
     */
    Hx711Pins wire(int dataPinNumber, int clockPinNumber) {
        synchronized (chip) {
            for (int line : new int[]{dataPinNumber, clockPinNumber}) {
                if (requestedLines.contains(line)) {
                    throw new IllegalStateException("GPIO line BCM " + line + " is already requested: Device or"
                            + " resource busy (Pi4J 2.8.0's gpiod plugin keeps a line until its context"
                            + " shuts down)");
                }
            }
            chip.disconnect();
            if (gpio == null) {
                gpio = Pi4J.newContextBuilder()
                        .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                        .build();
            }
            Hx711Pins opened = Hx711Pins.open(gpio, "hx711-sim-" + dataPinNumber + "-" + clockPinNumber,
                    dataPinNumber, clockPinNumber);
            requestedLines.add(dataPinNumber);
            requestedLines.add(clockPinNumber);
            Pins pins = new Pins(opened.clock(), (MockDigitalInput) opened.data(),
                    opened.data().config().pull() == PullResistance.PULL_UP);
            chip.connect(pins);
            return new Hx711Pins(opened.clock(), opened.data(), () -> {
                synchronized (chip) {
                    if (chip.isConnectedTo(pins)) {
                        chip.disconnect();
                    }
                }
            });
        }
    }

    /** Gives the lines back: the simulator closes. */
    void shutdown() {
        synchronized (chip) {
            if (gpio != null) {
                gpio.shutdown();
                gpio = null;
            }
        }
    }

    /** The chip's end of two mock pins: edges of PD_SCK reach the chip, DOUT is what the Pi reads on the data pin. */
    private final class Pins implements SimulatedChip.Connection {

        private final DigitalOutput clockPin;
        private final MockDigitalInput dataPin;
        private final boolean doutPulledUp;
        private final DigitalStateChangeListener edgeListener = this::onClockEdge;

        Pins(DigitalOutput clockPin, MockDigitalInput dataPin, boolean doutPulledUp) {
            this.clockPin = clockPin;
            this.dataPin = dataPin;
            this.doutPulledUp = doutPulledUp;
            clockPin.addListener(edgeListener);
        }

        @Override
        public void dout(boolean chipDrivesHigh) {
            dataPin.mockState(faults.doutSeen(chipDrivesHigh, doutPulledUp) ? DigitalState.HIGH : DigitalState.LOW);
        }

        @Override
        public void disconnect() {
            clockPin.removeListener(edgeListener);
        }

        private void onClockEdge(DigitalStateChangeEvent<?> event) {
            long now = System.nanoTime();
            long holdUntil = event.state() == DigitalState.HIGH ? chip.risingEdge(now) : chip.fallingEdge(now);
            while (holdUntil != 0 && System.nanoTime() - holdUntil < 0) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The simulated chip's edge code, interpreted, is slow enough to stretch clock-high phases past 60 µs by itself,
     * which a chip in silicon never does: it is run on a scratch chip until compiled, once per JVM.
     */
    static void compileEdgeCode() {
        if (edgeCodeCompiled) {
            return;
        }
        synchronized (SimulatedGpio.class) {
            if (edgeCodeCompiled) {
                return;
            }
            edgeCodeCompiled = true;
            try (Hx711Simulator scratch = new Hx711Simulator(); Hx711Pins pins = scratch.wire(0, 1)) {
                scratch.setFault(Hx711Fault.STUCK_LOW);
                for (int pulse = 0; pulse < SCRATCH_PULSES; pulse++) {
                    pins.clock().high();
                    pins.data().isHigh();
                    pins.clock().low();
                }
            }
        }
    }
}
