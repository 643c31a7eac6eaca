package io.github.mqttsscale.scale.cli;

import java.util.ArrayList;
import java.util.List;

/** What {@code mqtts-scale check} found, in plain language: problems to fix, and notes that need no fix. */
final class CheckFindings {

    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void problem(String problem) {
        problems.add(problem);
    }

    void note(String note) {
        notes.add(note);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }
}
