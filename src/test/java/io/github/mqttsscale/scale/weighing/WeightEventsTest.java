package io.github.mqttsscale.scale.weighing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.github.mqttsscale.scale.storage.Disk;

/**
 * Which readings make a weight event: only a settling (stable after not stable) at least the minimum change away from
 * where the weight last stood settled; never the first settling after a start, a tare or a calibration.
 */
class WeightEventsTest {

    private static final Instant AT = Instant.parse("2026-12-07T09:30:00.250Z");

    @TempDir
    Path dataDir;

    private final Calibration calibration = new Calibration(0, 1000);
    private WeightEvents events;

    /** The step's bean as each scale's routes make it, with 10 g as the smallest change (10 divisions of 1 g). */
    private WeightEvents events() {
        if (events == null) {
            ScaleProperties settings = new Binder(new MapConfigurationPropertySource(Map.of("scale.device-id",
                    "shelf", "scale.data-dir", dataDir.toString(), "scale.routes-dir", "routes")))
                    .bindOrCreate("scale", ScaleProperties.class);
            events = new WeightEvents(new Scale("shelf", "", settings, "scale/shelf/weight", calibration, null, null,
                    null, null, new SequenceNumbers(dataDir, SequenceNumbers.EVENTS, "the weight events' seq",
                            Disk.REAL),
                    null, Optional.empty(), new ScaleProblems("shelf"), null));
        }
        return events;
    }

    @Test
    void theFirstSettlingSetsWhereTheWeightStandsAndMakesNoEvent() {
        assertThat(moving("2.400")).isNull();
        assertThat(settled("2.500")).as("the first stable reading after the start").isNull();
        assertThat(settled("2.500")).isNull();
    }

    @Test
    void settlingHigherIsAddedAndLowerIsRemovedWithTheChangeAndBothWeights() {
        settled("2.500");
        moving("2.900");
        moving("3.150");
        WeightEvent added = settled("3.200");
        assertThat(added.type()).isEqualTo(WeightEvent.Type.ADDED);
        assertThat(added.deltaKg()).isEqualByComparingTo("0.700");
        assertThat(added.beforeKg()).isEqualByComparingTo("2.500");
        assertThat(added.afterKg()).isEqualByComparingTo("3.200");
        assertThat(added.at()).isEqualTo(AT);
        assertThat(settled("3.200")).as("one event per settling, not per stable reading").isNull();

        moving("1.000");
        WeightEvent removed = settled("0.400");
        assertThat(removed.type()).isEqualTo(WeightEvent.Type.REMOVED);
        assertThat(removed.deltaKg()).isEqualByComparingTo("-2.800");
        assertThat(removed.beforeKg()).isEqualByComparingTo("3.200");
    }

    @Test
    void aChangeOfTheMinimumIsAnEventALittleLessIsNone() {
        settled("1.000");
        moving("1.004");
        assertThat(settled("1.009")).as("9 g, under the 10 g minimum").isNull();
        moving("1.015");
        assertThat(settled("1.019")).as("10 g from where it stood last, 1.009").isNotNull();
    }

    @Test
    void aDriftWhileTheLoadRestsIsNotCountedIntoTheNextEvent() {
        settled("5.000");
        settled("5.003");
        settled("5.006"); // still stable: a slow drift (temperature, creep)
        moving("4.000");
        WeightEvent removed = settled("3.406");
        assertThat(removed.beforeKg()).as("the last stable reading before the weight moved").isEqualByComparingTo(
                "5.006");
        assertThat(removed.deltaKg()).isEqualByComparingTo("-1.600");
    }

    @Test
    void aTareMakesNoEventItsNextSettlingSetsWhereTheWeightStands() {
        settled("3.200");
        calibration.tare(3200);
        assertThat(settled("3.200")).as("a reading weighed before the tare took effect").isNull();
        moving("0.000");
        assertThat(settled("0.000")).as("tared to zero: nothing was removed").isNull();
        moving("0.500");
        assertThat(settled("0.700")).as("from the new zero on, events again").extracting(WeightEvent::deltaKg)
                .isEqualTo(new BigDecimal("0.700"));
    }

    @Test
    void theReportCarriesTheDeviceIdTheReadingsTimeAndTheEventsOwnSeq() {
        settled("2.500");
        moving("3.000");
        WeightEventReport first = events().report(settled("3.200"));
        moving("2.000");
        WeightEventReport second = events().report(settled("2.500"));

        assertThat(first).isEqualTo(new WeightEventReport("shelf", "added", new BigDecimal("0.700"),
                new BigDecimal("2.500"), new BigDecimal("3.200"), "2026-12-07T09:30:00.250Z", 1));
        assertThat(second.type()).isEqualTo("removed");
        assertThat(second.seq()).isEqualTo(2);
    }

    private WeightEvent settled(String kg) {
        return events().detect(new BigDecimal(kg), true, AT);
    }

    private WeightEvent moving(String kg) {
        return events().detect(new BigDecimal(kg), false, AT);
    }
}
