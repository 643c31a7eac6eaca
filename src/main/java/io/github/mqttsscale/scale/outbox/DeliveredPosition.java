package io.github.mqttsscale.scale.outbox;

/**
 * What {@code outbox/delivered} holds: the journal position up to which the broker acknowledged the readings, and
 * the generation of the journal it is a position in. The journal gets a new generation each time it is emptied, so
 * a position saved before (its save after the emptying lost to a crash or power cut) is recognised as stale
 * instead of hiding the next outage's readings.
 */
record DeliveredPosition(long generation, long position) {

    /** Nothing saved yet; also what an outbox written before generations is in (its journal has none either). */
    static final DeliveredPosition NONE = new DeliveredPosition(Journal.NO_GENERATION, 0);

    /**
     * {@code "generation position"}, or a bare position as saved before generations existed.
     *
     * @throws IllegalArgumentException for anything else (a damaged file)
     */
    static DeliveredPosition parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length == 1) {
            return new DeliveredPosition(Journal.NO_GENERATION, Long.parseLong(parts[0]));
        }
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a generation and a position: '" + text.strip() + "'");
        }
        return new DeliveredPosition(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    String text() {
        return generation + " " + position;
    }
}
