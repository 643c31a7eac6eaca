package io.github.mqttsscale.scale.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.mqttsscale.scale.outbox.Outbox;

/** What an outbox keeps, read out as a sender would. */
public final class KeptReadings {

    private KeptReadings() {
    }

    /** Takes everything out as the sender does: oldest first, each after its "acknowledgement"; returns the payloads. */
    public static List<String> drain(Outbox outbox) {
        List<String> sent = new ArrayList<>();
        for (Outbox.Next next; (next = outbox.oldest().orElse(null)) != null; outbox.delivered(next.number())) {
            sent.add(new String(next.reading().payload(), StandardCharsets.UTF_8));
        }
        return sent;
    }
}
