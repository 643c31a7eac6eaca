package io.github.mqttsscale.hx711;

/**
 * A simulated chip's SPI wire, as {@link Hx711SpiWire} expects it (PD_SCK on MOSI, DOUT on MISO, MISO pulled up as
 * the README's config.txt line does, but for the fault FLOATING_MISO), clocked at the wiring's speed: each MOSI bit is one bit time long, the chip
 * sees an edge where MOSI changes, MISO is sampled in the middle of each bit. A transfer holds the chip's lock from
 * its first bit to its last, as the bus clocks without pauses.
 */
final class SimulatedSpi {

    private final SimulatedChip chip;
    private final SimulatedFaults faults;

    SimulatedSpi(SimulatedChip chip, SimulatedFaults faults) {
        this.chip = chip;
        this.faults = faults;
    }

    /** The chip moves to this bus from the wire before; closing the wire unwires it. */
    Hx711SpiWire wire(Hx711Wiring.Spi wiring) {
        Bus bus = new Bus(1_000_000_000L / wiring.speedHz());
        chip.connect(bus);
        return new Hx711SpiWire(bus, wiring, () -> {
            synchronized (chip) {
                if (chip.isConnectedTo(bus)) {
                    chip.disconnect();
                }
            }
        });
    }

    private final class Bus implements SimulatedChip.Connection, Hx711SpiWire.Transfer {

        private final long bitNanos;

        Bus(long bitNanos) {
            this.bitNanos = bitNanos;
        }

        @Override
        public void dout(boolean chipDrivesHigh) {
            // MISO is sampled in each transfer
        }

        @Override
        public void disconnect() {
            // a transfer checks that the chip is still on this bus
        }

        @Override
        public void transfer(byte[] sent, byte[] received) {
            synchronized (chip) {
                if (!chip.isConnectedTo(this)) {
                    throw new IllegalStateException("the simulated SPI wire was closed");
                }
                long start = System.nanoTime();
                for (int bit = 0; bit < sent.length * 8; bit++) {
                    long at = start + bit * bitNanos;
                    boolean mosi = (sent[bit / 8] & (0x80 >>> (bit % 8))) != 0;
                    if (mosi && !chip.isClockHigh()) {
                        chip.risingEdge(at);
                    } else if (!mosi && chip.isClockHigh()) {
                        chip.fallingEdge(at);
                    }
                    if (faults.misoSeen(chip.doutHigh())) {
                        received[bit / 8] |= (byte) (0x80 >>> (bit % 8));
                    } else {
                        received[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
                    }
                }
                if (chip.isClockHigh()) {
                    // MOSI falls back low after the transfer
                    chip.fallingEdge(start + sent.length * 8L * bitNanos);
                }
            }
        }
    }
}
