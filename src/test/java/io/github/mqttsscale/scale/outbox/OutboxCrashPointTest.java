package io.github.mqttsscale.scale.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.mqttsscale.scale.storage.CrashingDisk;
import io.github.mqttsscale.scale.storage.CrashingDisk.When;
import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.testsupport.KeptReadings;

/**
 * The outbox crashed at each of its disk operations in turn (every write, force, truncation, rename and directory
 * force, of the journal, of its compaction and of the saved position): before the operation, after it, and halfway through each write.
 * After every crash it is opened again from disk, and every reading keep() accepted and that was not confirmed
 * delivered must be there, in order; readings already delivered may come again (at least once), none may be lost.
 * Then readings are kept in the restarted outbox and it is opened once more without closing it, so that a stale
 * saved position left by the crash, which would hide the next outage, is found too.
 */
class OutboxCrashPointTest {

    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final int FIRST_AFTER_RESTART = 101;
    /**
     * Above the 602 bytes the first outage has sent at most, below the 658 the third has sent once what was sent
     * outweighs what waits: the third is compacted, once, and a position is saved in the compacted journal after.
     */
    private static final long COMPACT_AT_LEAST_BYTES = 620;

    @TempDir
    Path root;

    private final Clock clock = Clock.fixed(START, ZoneOffset.UTC);

    /** What the outbox promised before the crash. */
    private static final class Promises {
        final List<Integer> waiting = new ArrayList<>();
        final Set<Integer> delivered = new HashSet<>();
        int beingKept;
    }

    @Test
    void noAcceptedReadingIsLostWhereverTheOutboxCrashes() throws Exception {
        CrashingDisk counting = CrashingDisk.unforced();
        Outbox outbox = run(root.resolve("counting"), counting, new Promises());
        List<String> operations = List.copyOf(counting.operations());
        assertThat(operations).as("the scenario uses every kind of operation")
                .contains("write", "force", "truncate", "move", "force directory");
        assertThat(outbox.getCompactions()).as("the scenario compacts the journal").isEqualTo(1);

        int[] crashes = {0, 0};
        forEachCrashPoint(operations, (crashPoint, crashing) -> {
            Path dataDir = root.resolve("run-" + crashes[0]++);
            Promises promises = new Promises();
            assertThat(crashes(() -> run(dataDir, crashing, promises))).as(crashPoint + " happens").isTrue();
            crashes[1] += crashWhileRecovering(dataDir, promises, crashPoint);
            checkNothingLost(dataDir, promises, crashPoint);
        });
        System.out.println("CRASH POINTS " + operations.size() + " operations, " + crashes[0] + " crashes, then "
                + crashes[1] + " crashes while recovering from them; none lost a reading");
    }

    /**
     * The power may go again while the outbox recovers from a crash (cutting off half a record, setting it aside,
     * giving an empty journal its header): each of those operations crashed in turn, on a copy of what the first
     * crash left, then the outbox opened once more.
     */
    private int crashWhileRecovering(Path crashed, Promises promises, String firstCrash) throws Exception {
        CrashingDisk counting = CrashingDisk.unforced();
        open(copy(crashed, crashed.resolveSibling(crashed.getFileName() + "-counting")), counting);
        int[] crashes = {0};
        forEachCrashPoint(counting.operations(), (crashPoint, crashing) -> {
            Path again = copy(crashed, crashed.resolveSibling(crashed.getFileName() + "-again-" + crashes[0]++));
            assertThat(crashes(() -> {
                open(again, crashing);
                crashing.requireAlive();
            })).as(crashPoint + " happens").isTrue();
            checkNothingLost(again, promises, firstCrash + ", then while recovering " + crashPoint);
        });
        return crashes[0];
    }

    private interface CrashRun {
        void run(String crashPoint, CrashingDisk crashing) throws Exception;
    }

    /** Each operation crashed before and after it, and each write halfway too. */
    private static void forEachCrashPoint(List<String> operations, CrashRun run) throws Exception {
        for (int crashAt = 1; crashAt <= operations.size(); crashAt++) {
            String operation = operations.get(crashAt - 1);
            for (When when : When.values()) {
                if (when != When.HALFWAY || operation.equals("write")) {
                    run.run("crash " + when + " operation " + crashAt + " (" + operation + ")",
                            CrashingDisk.crashingAt(crashAt, when));
                }
            }
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
        return to;
    }

    /**
     * Three outages with sending in between: appends, a saved position (every 10 deliveries), the journal emptied
     * under a new generation, then compacted into a new file once more was sent than waits (more than
     * {@link #COMPACT_AT_LEAST_BYTES}), a position saved in the compacted journal, and a close.
     */
    private Outbox run(Path dataDir, CrashingDisk disk, Promises promises) throws Exception {
        Outbox outbox = open(dataDir, disk);
        disk.requireAlive(); // a crash while opening leaves an outbox without a journal, where the process died
        keep(outbox, 1, 12, promises);
        deliver(outbox, 11, promises);
        keep(outbox, 13, 14, promises);
        deliver(outbox, 3, promises);
        keep(outbox, 15, 17, promises);
        deliver(outbox, 1, promises);
        keep(outbox, 18, 40, promises);
        deliver(outbox, 23, promises);
        outbox.close();
        return outbox;
    }

    private void checkNothingLost(Path dataDir, Promises promises, String crashPoint) {
        Outbox restarted = open(dataDir, CrashingDisk.unforced());
        Promises afterRestart = new Promises();
        keep(restarted, FIRST_AFTER_RESTART, FIRST_AFTER_RESTART + 2, afterRestart);
        List<Integer> sent = drain(open(dataDir, CrashingDisk.unforced())); // no close: crashed again

        List<Integer> mustCome = new ArrayList<>(promises.waiting);
        mustCome.addAll(afterRestart.waiting);
        assertThat(sent).as(crashPoint + ": every reading accepted and not delivered").containsAll(mustCome);
        assertThat(sent).as(crashPoint + ": in order, each once").isSorted().doesNotHaveDuplicates();
        assertThat(sent).as(crashPoint + ": nothing but those, readings already delivered, or the one being kept")
                .allMatch(
                        seq -> mustCome.contains(seq) || promises.delivered.contains(seq) || seq == promises.beingKept);
    }

    private Outbox open(Path dataDir, Disk disk) {
        return new Outbox(dataDir, new OutboxProperties(1000, Duration.ofDays(7), 20), 1, () -> true,
                clock, disk, COMPACT_AT_LEAST_BYTES);
    }

    private static void keep(Outbox outbox, int first, int last, Promises promises) {
        for (int seq = first; seq <= last; seq++) {
            promises.beingKept = seq;
            outbox.keep(("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8), START.plusSeconds(seq), null,
                    "scale/t/weight");
            promises.waiting.add(seq);
        }
    }

    /** The broker acknowledged the reading before the outbox hears of it: from then on it may come again or not. */
    private static void deliver(Outbox outbox, int count, Promises promises) {
        for (int i = 0; i < count; i++) {
            Outbox.Next next = outbox.oldest().orElseThrow();
            int seq = seq(next);
            promises.waiting.remove(Integer.valueOf(seq));
            promises.delivered.add(seq);
            outbox.delivered(next.number());
        }
    }

    private static List<Integer> drain(Outbox outbox) {
        return KeptReadings.drain(outbox).stream().map(OutboxCrashPointTest::seq).toList();
    }

    private static int seq(Outbox.Next next) {
        return seq(new String(next.reading().payload(), StandardCharsets.UTF_8));
    }

    private static int seq(String payload) {
        return Integer.parseInt(payload.replaceAll("\\D", ""));
    }

    private interface Scenario {
        void run() throws Exception;
    }

    private static boolean crashes(Scenario scenario) throws Exception {
        try {
            scenario.run();
            return false;
        } catch (Exception e) {
            if (isCrash(e)) {
                return true;
            }
            throw e;
        }
    }

    private static boolean isCrash(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CrashingDisk.Crash) {
                return true;
            }
        }
        return false;
    }
}
