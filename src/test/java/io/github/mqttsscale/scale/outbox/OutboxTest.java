package io.github.mqttsscale.scale.outbox;

import static io.github.mqttsscale.scale.testsupport.KeptReadings.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.mqttsscale.scale.storage.CrashingDisk;
import io.github.mqttsscale.scale.storage.Disk;
import io.github.mqttsscale.scale.storage.FullDisk;
import io.github.mqttsscale.scale.storage.ReadOnlyDisk;
import io.github.mqttsscale.scale.storage.StorageProblem;

class OutboxTest {

    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dataDir;

    private final AtomicBoolean connected = new AtomicBoolean(true);
    private Clock clock = Clock.fixed(START, ZoneOffset.UTC);

    private Outbox open(int maxReadings, Duration maxAge) {
        return new Outbox(dataDir, new OutboxProperties(maxReadings, maxAge, 20), 1, connected::get,
                clock);
    }

    private Outbox open() {
        return open(1000, Duration.ofDays(7));
    }

    private static void keep(Outbox outbox, int seq) {
        outbox.keep(("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8), START.plusSeconds(seq), null,
                "scale/t/weight");
    }

    @Test
    void readingsWaitWhileTheBrokerIsAwayOrOlderOnesAreKept() {
        Outbox outbox = open();
        assertThat(outbox.mustWait(null)).isFalse();
        connected.set(false);
        assertThat(outbox.mustWait(null)).isTrue();
        connected.set(true);
        keep(outbox, 1);
        assertThat(outbox.mustWait(null)).as("a newer reading must not overtake a kept one").isTrue();
        drain(outbox);
        assertThat(outbox.mustWait(null)).isFalse();
    }

    @Test
    void keptReadingsGoOutOldestFirstWithTopicAndQos() {
        Outbox outbox = open();
        for (int seq = 1; seq <= 5; seq++) {
            keep(outbox, seq);
        }
        KeptReading first = outbox.oldest().orElseThrow().reading();
        assertThat(first.topic()).isEqualTo("scale/t/weight");
        assertThat(first.qos()).isEqualTo(1);
        assertThat(first.takenAtMillis()).isEqualTo(START.plusSeconds(1).toEpochMilli());
        assertThat(drain(outbox)).containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}", "{\"seq\":4}",
                "{\"seq\":5}");
        assertThat(outbox.getKept()).isEqualTo(5);
        assertThat(outbox.getSent()).isEqualTo(5);
    }

    @Test
    void aReadingIsOnlyTakenOutOnceDelivered() {
        Outbox outbox = open();
        keep(outbox, 1);
        assertThat(outbox.oldest()).isPresent();
        assertThat(outbox.oldest()).as("not acknowledged yet: still the oldest").isPresent();
        assertThat(outbox.getWaiting()).isEqualTo(1);
    }

    /** The reading being sent was dropped (outbox full) before its acknowledgement came: the next one stays. */
    @Test
    void aDeliveryOfAReadingDroppedMeanwhileTakesOutNoOther() {
        Outbox outbox = open(2, Duration.ofDays(7));
        keep(outbox, 1);
        keep(outbox, 2);
        Outbox.Next sending = outbox.oldest().orElseThrow();
        keep(outbox, 3); // full: seq 1, the one being sent, is dropped
        outbox.delivered(sending.number());
        assertThat(drain(outbox)).containsExactly("{\"seq\":2}", "{\"seq\":3}");
        assertThat(outbox.getSent()).as("counted as sent: the two drained, not the dropped one's successor")
                .isEqualTo(2);
        assertThat(outbox.getDropped()).isEqualTo(1);
    }

    /** The same when the outbox emptied meanwhile and the next reading took the same place in the emptied journal. */
    @Test
    void aDeliveryOfAReadingDroppedMeanwhileTakesOutNoOtherAfterTheJournalWasEmptied() {
        Outbox outbox = open(1, Duration.ofDays(7));
        keep(outbox, 1);
        Outbox.Next sending = outbox.oldest().orElseThrow();
        keep(outbox, 2); // seq 1 dropped, the journal emptied, seq 2 written where seq 1 was
        outbox.delivered(sending.number());
        assertThat(drain(outbox)).containsExactly("{\"seq\":2}");
    }

    @Test
    void keptReadingsSurviveACrashWithoutClose() {
        Outbox beforeCrash = open();
        for (int seq = 1; seq <= 3; seq++) {
            keep(beforeCrash, seq);
        }
        // no close(): as after SIGKILL or a power cut
        Outbox afterRestart = open();
        assertThat(drain(afterRestart)).containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}");
    }

    @Test
    void afterACrashMidSendingOnlyAFewAreSentAgain() {
        Outbox beforeCrash = open();
        for (int seq = 1; seq <= 30; seq++) {
            keep(beforeCrash, seq);
        }
        for (int i = 0; i < 25; i++) {
            beforeCrash.delivered(beforeCrash.oldest().orElseThrow().number());
        }
        List<String> again = drain(open());
        assertThat(again).hasSizeLessThanOrEqualTo(30 - 25 + OutboxStore.SAVE_EVERY);
        assertThat(again).endsWith("{\"seq\":26}", "{\"seq\":27}", "{\"seq\":28}", "{\"seq\":29}", "{\"seq\":30}");
    }

    @Test
    void aPartlyWrittenLastReadingIsSkippedAndDoesNotBlockTheQueue() throws Exception {
        Outbox beforeCrash = open();
        keep(beforeCrash, 1);
        keep(beforeCrash, 2);
        Path journal = dataDir.resolve("outbox").resolve("journal");
        long whole = Files.size(journal);
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            channel.truncate(whole - 5); // the power went while the second reading was being written
        }
        Outbox afterRestart = open();
        keep(afterRestart, 3);
        assertThat(drain(afterRestart)).containsExactly("{\"seq\":1}", "{\"seq\":3}");
    }

    @Test
    void aDamagedLastReadingIsSkipped() throws Exception {
        Outbox beforeCrash = open();
        keep(beforeCrash, 1);
        Files.write(dataDir.resolve("outbox").resolve("journal"), new byte[]{0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7},
                StandardOpenOption.APPEND);
        assertThat(drain(open())).containsExactly("{\"seq\":1}");
    }

    /**
     * A power cut just after the outbox was emptied can leave the position saved before (the save of the new one,
     * or its rename, never reached the disk); the next outage's readings are then written from the start of the
     * journal, and that old position must not make the restarted outbox skip them.
     */
    @Test
    void aPositionSavedBeforeTheOutboxWasEmptiedDoesNotHideTheNextOutage() throws Exception {
        Outbox first = open();
        for (int seq = 1; seq <= 20; seq++) {
            keep(first, seq);
        }
        for (int i = 0; i < 15; i++) {
            first.delivered(first.oldest().orElseThrow().number());
        }
        String savedMidway = Files.readString(deliveredFile());
        drain(first);
        Files.writeString(deliveredFile(), savedMidway);
        Outbox afterPowerCut = open();
        for (int seq = 21; seq <= 40; seq++) {
            keep(afterPowerCut, seq);
        }
        List<String> afterCrash = drain(open());
        assertThat(afterCrash).hasSize(20).startsWith("{\"seq\":21}").endsWith("{\"seq\":40}");
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 1_000_000})
    void aSavedPositionOffAReadingsBoundaryOrPastTheEndSendsEverythingAgain(long position) throws Exception {
        Outbox outbox = open();
        for (int seq = 1; seq <= 3; seq++) {
            keep(outbox, seq);
        }
        outbox.close();
        Files.writeString(deliveredFile(),
                Files.readString(deliveredFile()).trim().replaceAll("\\d+$", Long.toString(position)));
        assertThat(drain(open())).containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}");
    }

    /** A card full after a power cut, or a read-only mount, that can be written again a minute later. */
    @Test
    void anOutboxThatCouldNotOpenAtTheStartIsTriedAgainEveryMinute() throws Exception {
        Outbox before = open();
        keep(before, 1);
        before.close();
        AtomicLong nanos = new AtomicLong();
        ReadOnlyDisk disk = new ReadOnlyDisk();
        connected.set(false);
        Outbox outbox = new Outbox(dataDir, new OutboxProperties(1000, Duration.ofDays(7), 20), 1, connected::get,
                clock, nanos::get, disk);
        assertThat(outbox.problem()).isPresent();
        keep(outbox, 2);
        assertThat(outbox.getLost()).as("no outbox yet").isEqualTo(1);
        disk.remountWritable();
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        keep(outbox, 3);
        assertThat(outbox.getLost()).as("not tried again within the minute").isEqualTo(2);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        keep(outbox, 4);
        assertThat(outbox.problem()).as("open again").isEmpty();
        assertThat(drain(outbox)).as("what it held from before, and what was kept since")
                .containsExactly("{\"seq\":1}", "{\"seq\":4}");
    }

    /** A bad byte in the saved position must not stop the start: every kept reading goes out again, and it says so. */
    @ParameterizedTest
    @ValueSource(strings = {"7 x9", "garbage", "", "1 2 3"})
    void aDamagedSavedPositionSendsEverythingAgainInsteadOfStoppingTheStart(String damaged) throws Exception {
        Outbox outbox = open();
        for (int seq = 1; seq <= 3; seq++) {
            keep(outbox, seq);
        }
        outbox.delivered(outbox.oldest().orElseThrow().number()); // the first went out: its position was saved
        outbox.close();
        Files.writeString(deliveredFile(), damaged);
        Outbox reopened = open();
        assertThat(reopened.repaired()).hasValueSatisfying(
                said -> assertThat(said).contains("delivered was damaged", "sent again"));
        assertThat(drain(reopened)).containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}");
    }

    /** An outbox left by a version without the journal's header (an upgrade during an outage) still goes out. */
    @Test
    void anOutboxWrittenBeforeTheJournalHadAHeaderStillGoesOut() throws Exception {
        Outbox outbox = open();
        long header = Files.size(journalFile());
        for (int seq = 1; seq <= 3; seq++) {
            keep(outbox, seq);
        }
        outbox.close();
        byte[] journal = Files.readAllBytes(journalFile());
        Files.write(journalFile(), java.util.Arrays.copyOfRange(journal, (int) header, journal.length));
        Files.writeString(deliveredFile(), "0");
        assertThat(drain(open())).containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}");
    }

    private Path journalFile() {
        return dataDir.resolve("outbox").resolve("journal");
    }

    private Path deliveredFile() {
        return dataDir.resolve("outbox").resolve("delivered");
    }

    /** A byte flipped on the SD card costs the reading it is in, not the ones behind it. */
    @Test
    void aDamagedReadingInTheMiddleCostsThatReadingAlone() throws Exception {
        keepFive();
        byte[] journal = Files.readAllBytes(journalFile());
        journal[indexOf(journal, "{\"seq\":2}") + 7] ^= 1; // '2' becomes '3': the checksum no longer fits
        Files.write(journalFile(), journal);
        Outbox afterRestart = open();
        assertThat(drain(afterRestart)).containsExactly("{\"seq\":1}", "{\"seq\":3}", "{\"seq\":4}", "{\"seq\":5}");
        assertThat(afterRestart.getDamaged()).isEqualTo(1);
        byte[] setAside = Files.readAllBytes(dataDir.resolve("outbox").resolve("damaged"));
        assertThat(new String(setAside, StandardCharsets.ISO_8859_1)).as("the damaged record, kept for a post-mortem")
                .contains("{\"seq\":3}").doesNotContain("{\"seq\":4}");
        assertThat(open().getDamaged()).as("delivered: not found again at the next start").isZero();
    }

    /**
     * A reading damaged on the card while the scale runs (after the start checked the journal) is found when it is
     * read back, and once set aside costs that reading alone: the ones behind it go on.
     */
    @Test
    void aReadingDamagedWhileWaitingIsFoundWhenReadAndSetAsideAlone() throws Exception {
        Outbox outbox = open();
        for (int seq = 1; seq <= 5; seq++) {
            keep(outbox, seq);
        }
        byte[] journal = Files.readAllBytes(journalFile());
        journal[indexOf(journal, "{\"seq\":1}") + 7] ^= 1;
        Files.write(journalFile(), journal);
        assertThatThrownBy(outbox::oldest).hasMessageContaining("damaged since it was kept");
        outbox.setAsideUnreadable();
        assertThat(outbox.getDamaged()).isEqualTo(1);
        assertThat(drain(outbox)).containsExactly("{\"seq\":2}", "{\"seq\":3}", "{\"seq\":4}", "{\"seq\":5}");
    }

    /** A damaged length must not make the outbox read on into the readings behind it, or stop there. */
    @Test
    void aDamagedLengthCostsThatReadingAlone() throws Exception {
        keepFive();
        byte[] journal = Files.readAllBytes(journalFile());
        int third = indexOf(journal, "{\"seq\":2}") + "{\"seq\":2}".length(); // the payload ends its record
        journal[third] = 0x7f;
        Files.write(journalFile(), journal);
        assertThat(drain(open())).containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":4}", "{\"seq\":5}");
    }

    /**
     * A full disk halfway through a reading, or a force that fails: the reading is not kept (the route is told) and
     * its bytes are taken back, so the next reading does not follow them and nothing reads as damage at the next start.
     */
    @ParameterizedTest
    @CsvSource({"1, HALFWAY", "2, BEFORE"}) // the append's write, its force
    void aFailedAppendIsRolledBack(int failAt, CrashingDisk.When when) throws Exception {
        keep(open(), 1);
        Outbox outbox = new Outbox(dataDir, new OutboxProperties(1000, Duration.ofDays(7), 20), 1,
                connected::get, clock, CrashingDisk.failingAt(failAt, when), OutboxStore.COMPACT_AT_LEAST_BYTES);
        assertThatThrownBy(() -> keep(outbox, 2)).hasRootCauseInstanceOf(CrashingDisk.Crash.class);
        keep(outbox, 3);
        Outbox afterRestart = open();
        assertThat(drain(afterRestart)).containsExactly("{\"seq\":1}", "{\"seq\":3}");
        assertThat(afterRestart.getDamaged()).isZero();
    }

    /** A full or read-only disk: the route is told, and so is health, until a reading can be kept again. */
    @Test
    void aReadingThatCannotBeKeptIsReportedUntilOneCanBe() throws Exception {
        open().close();
        FullDisk disk = new FullDisk();
        Outbox outbox = new Outbox(dataDir, new OutboxProperties(1000, Duration.ofDays(7), 20), 1,
                connected::get, clock, disk, OutboxStore.COMPACT_AT_LEAST_BYTES);
        assertThatThrownBy(() -> keep(outbox, 1)).hasMessageContaining("No space left on device");
        assertThat(outbox.problem().map(StorageProblem::text)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("data directory " + dataDir + " is full", "readings taken while the broker is away are lost",
                        "free space"));
        assertThat(outbox.getLost()).isEqualTo(1);
        disk.free();
        keep(outbox, 2);
        assertThat(outbox.problem()).isEmpty();
        assertThat(drain(outbox)).containsExactly("{\"seq\":2}");
    }

    /**
     * Read-only (or full) when the scale starts: no outbox, but no failed start either (systemd restarted the
     * service every 15 s, and nothing was published). Readings kept before stay untouched for a start that can write.
     */
    @Test
    void aDataDirectoryReadOnlyAtStartLeavesLivePublishingWithoutAnOutbox() throws Exception {
        Outbox before = open();
        keep(before, 1);
        keep(before, 2);
        before.close();
        byte[] keptBefore = Files.readAllBytes(journalFile());

        Outbox readOnly = new Outbox(dataDir, new OutboxProperties(1000, Duration.ofDays(7), 20), 1,
                connected::get, clock, new ReadOnlyDisk());
        assertThat(readOnly.problem().map(StorageProblem::text)).hasValue("data directory " + dataDir
                + " is read-only: "
                + "readings are published live only, and none are kept while the broker is away, until it can be written (tried "
                + "again every minute); check the disk or its mount (a disk or SD card with errors is remounted "
                + "read-only)");
        assertThat(readOnly.mustWait(null)).as("the broker is up: publish live").isFalse();
        connected.set(false);
        keep(readOnly, 3); // the broker away: not kept, and not thrown at the route for every reading
        keep(readOnly, 4);
        assertThat(readOnly.getLost()).isEqualTo(2);
        assertThat(readOnly.oldest()).isEmpty();
        readOnly.close();

        assertThat(Files.readAllBytes(journalFile())).as("the journal as it was").isEqualTo(keptBefore);
        assertThat(drain(open())).as("once writable again").containsExactly("{\"seq\":1}", "{\"seq\":2}");
    }

    /** Without even the outbox folder: it cannot be created either. */
    @Test
    void aReadOnlyDataDirectoryWithoutAnOutboxFolderStartsToo() {
        Outbox readOnly = new Outbox(dataDir, new OutboxProperties(1000, Duration.ofDays(7), 20), 1,
                connected::get, clock, new ReadOnlyDisk());
        assertThat(readOnly.problem().map(StorageProblem::state))
                .hasValue("data directory " + dataDir + " is read-only");
        assertThat(Files.exists(dataDir.resolve("outbox"))).isFalse();
    }

    private void keepFive() {
        Outbox outbox = open();
        for (int seq = 1; seq <= 5; seq++) {
            keep(outbox, seq);
        }
    }

    private static int indexOf(byte[] haystack, String needle) {
        int at = new String(haystack, StandardCharsets.ISO_8859_1).indexOf(needle);
        assertThat(at).as(needle + " in the journal").isNotNegative();
        return at;
    }

    @Test
    void whenFullTheOldestAreDroppedAndCounted() {
        Outbox outbox = open(3, Duration.ofDays(7));
        for (int seq = 1; seq <= 5; seq++) {
            keep(outbox, seq);
        }
        assertThat(outbox.getDropped()).isEqualTo(2);
        assertThat(drain(outbox)).containsExactly("{\"seq\":3}", "{\"seq\":4}", "{\"seq\":5}");
    }

    @Test
    void readingsOlderThanTheMaxAgeAreDroppedAndCounted() {
        Outbox outbox = open(1000, Duration.ofMinutes(1));
        keep(outbox, 1);
        keep(outbox, 100);
        clock = Clock.offset(clock, Duration.ofSeconds(90));
        Outbox later = open(1000, Duration.ofMinutes(1));
        assertThat(drain(later)).containsExactly("{\"seq\":100}");
        assertThat(later.getDropped()).isEqualTo(1);
    }

    /**
     * A Pi without a clock battery boots with an old time and keeps readings stamped with it; NTP then steps the clock
     * forward by weeks. The wait is measured on the monotonic clock: the step drops nothing, a real wait does.
     */
    @Test
    void aClockStepOfWeeksDropsNothingARealWaitDoes() {
        AtomicLong nanos = new AtomicLong();
        Clock stepping = Clock.fixed(START, ZoneOffset.UTC);
        Clock[] wall = {stepping};
        Clock delegating = new Clock() {
            @Override
            public Instant instant() {
                return wall[0].instant();
            }

            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        connected.set(false);
        Outbox outbox = new Outbox(dataDir, new OutboxProperties(1000, Duration.ofMinutes(10), 20), 1,
                connected::get, delegating, nanos::get, Disk.REAL);
        for (int seq = 1; seq <= 3; seq++) {
            outbox.keep(("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8), START, null, "scale/t/weight");
        }
        wall[0] = Clock.offset(stepping, Duration.ofDays(30)); // NTP sets the clock
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(outbox.getWaiting()).isEqualTo(3);
        assertThat(outbox.oldest()).as("a minute's wait, not 30 days").isPresent();
        assertThat(outbox.getDropped()).isZero();

        nanos.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(outbox.oldest()).as("11 minutes waited, max-age 10").isEmpty();
        assertThat(outbox.getDropped()).isEqualTo(3);
    }

    /**
     * An outage longer than max-age: readings expire at the front of the journal while new ones are appended, so it
     * never empties; without compaction it grew by every reading (3 MB here, without bound in the field).
     */
    @Test
    void aLongOutageWithExpiringReadingsKeepsTheJournalBounded(@TempDir Path restarted) throws Exception {
        AtomicLong now = new AtomicLong();
        Clock ticking = new Clock() {
            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }

            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        connected.set(false);
        Duration maxAge = Duration.ofMinutes(1);
        Outbox outbox = new Outbox(dataDir, new OutboxProperties(100_000, maxAge, 20), 1,
                connected::get, ticking, CrashingDisk.unforced(), OutboxStore.COMPACT_AT_LEAST_BYTES);
        String padding = "x".repeat(1000);
        int readings = 3000;
        long largest = 0;
        for (int seq = 1; seq <= readings; seq++) {
            now.set(START.plusSeconds(seq).toEpochMilli()); // one reading a second
            outbox.keep(("{\"seq\":" + seq + ",\"pad\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8),
                    START.plusSeconds(seq), null, "scale/t/weight");
            largest = Math.max(largest, Files.size(journalFile()));
        }
        System.out.println("RELIABILITY long outage: " + readings + " readings of about 1 kB kept, "
                + outbox.getDropped() + " expired, " + outbox.getWaiting() + " waiting, " + outbox.getCompactions()
                + " compactions, journal at most " + largest + " bytes, " + Files.size(journalFile()) + " at the end");
        assertThat(outbox.getDropped()).as("expired").isEqualTo(readings - maxAge.toSeconds() - 1);
        assertThat(largest).as("the journal: under the compaction's minimum plus twice the minute that waits")
                .isLessThan(OutboxStore.COMPACT_AT_LEAST_BYTES + 2 * (maxAge.toSeconds() + 1) * 1100);
        List<Integer> expected = java.util.stream.IntStream.rangeClosed(readings - (int) maxAge.toSeconds(), readings)
                .boxed().toList();
        Files.createDirectory(restarted.resolve("outbox"));
        try (var files = Files.list(journalFile().getParent())) {
            for (Path file : files.toList()) {
                Files.copy(file, restarted.resolve("outbox").resolve(file.getFileName()));
            }
        }
        Outbox afterRestart = new Outbox(restarted, new OutboxProperties(100_000, maxAge, 20), 1,
                connected::get, ticking);
        assertThat(seqs(drain(afterRestart))).as("a restart finds the waiting readings in the compacted journal")
                .isEqualTo(expected);
        connected.set(true);
        assertThat(seqs(drain(outbox))).as("and so does the running outbox").isEqualTo(expected);
        assertThat(Files.list(journalFile().getParent()).map(path -> path.getFileName().toString()))
                .as("no compaction left behind").doesNotContain("journal.compacted");
    }

    private static List<Integer> seqs(List<String> payloads) {
        return payloads.stream().map(payload -> Integer.parseInt(payload.replaceAll("^\\{\"seq\":(\\d+).*", "$1")))
                .toList();
    }

    @Test
    void theJournalIsEmptiedOnceEverythingWasDelivered() throws Exception {
        Outbox outbox = open();
        long empty = Files.size(dataDir.resolve("outbox").resolve("journal"));
        for (int seq = 1; seq <= 3; seq++) {
            keep(outbox, seq);
        }
        drain(outbox);
        assertThat(Files.size(dataDir.resolve("outbox").resolve("journal"))).as("only the header left")
                .isEqualTo(empty);
        assertThat(drain(open())).isEmpty();
    }

    @Test
    void theOutboxFolderIsPrivate() throws Exception {
        open();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("outbox"))))
                .isEqualTo("rwx------");
    }
}
