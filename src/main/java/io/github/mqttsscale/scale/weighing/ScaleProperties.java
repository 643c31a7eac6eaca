package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The weighing: which sensor, how it is wired, how counts become kilograms, when a weight counts as settled, and the
 * scales there are. The other features have settings records of their own ({@link PublishProperties},
 * HomeAssistantProperties, StatusPageProperties, BrokerProperties, OutboxProperties). Each fixed default is written
 * once, in its record; the ones that depend on the machine or on other settings (device id, data and routes folders,
 * topic, client id) are derived by {@link io.github.mqttsscale.scale.DerivedDefaults}. The README's configuration table and the package's application.yaml are checked
 * against the metadata generated from this javadoc (ConfigurationMetadataTest).
 *
 * @param deviceId       the scale's id in topics and payloads (letters, digits, . _ -); default: the host name
 * @param sensor         auto: the HX711 on a Raspberry Pi, the simulator elsewhere (with a warning); hx711; simulated
 * @param sampleInterval a reading every this long, from the start of one to the start of the next (a reading that
 *                       takes longer, as many samples at a low rate do, is followed at once by the next)
 * @param dataDir        tare and calibration, outbox, sequence numbers and the web password; created private
 *                       (mode 700); default: ~/.mqtts-scale
 * @param routesDir      folder of the route YAML files that are loaded and watched; default: routes
 * @param divisionKg     the scale's division e: the published weight is rounded to the nearest multiple of it (step
 *                       round-to-division), e.g. 0.005 for 5 g steps; it also sets zero tracking's and the events'
 *                       limits (scale.resolution-kg is its old name)
 * @param capacityKg     the scale's capacity (Max, full scale): above it by more than 9 divisions a reading says
 *                       "overload": true; zero tracking's range is a share of it; default: not set (no overload flag,
 *                       no zero tracking)
 * @param zeroTracking   automatic zero tracking of a slowly drifting empty scale
 * @param temperature    the temperature sensor and the temperature compensation
 * @param events         weight events (added, removed)
 * @param hx711          how the HX711 is wired and sampled
 * @param calibration    how counts become kilograms on the first run
 * @param simulator      the simulated load cell
 * @param stable         when a weight counts as settled
 * @param scales         several scales in one process, each with its own device-id, division, capacity, zero tracking,
 *                       temperature, events, hx711, calibration and simulator; what an entry leaves out is taken from
 *                       the same setting under scale.*, setting by setting; default: none, one scale (scale.device-id)
 */
@Validated
@ConfigurationProperties("scale")
// @formatter:off
public record ScaleProperties(
        @NotBlank
        @Pattern(regexp = "[A-Za-z0-9._-]+",
                message = "may only hold letters, digits, '.', '_' and '-' because it becomes part of MQTT topics")
        String deviceId,
        @NotNull @DefaultValue("auto") Sensor sensor,
        @NotNull @DurationMin(millis = 0, message = "must be 0 or more: the pause between two readings (0: as fast "
                + "as the chip converts); e.g. 1s")
        @DefaultValue("1s") Duration sampleInterval,
        @NotNull Path dataDir,
        @NotNull Path routesDir,
        @NotNull @DecimalMin(value = "0", inclusive = false, message = "must be above 0, e.g. 0.005 for 5 g")
        @DefaultValue("0.001") BigDecimal divisionKg,
        @DecimalMin(value = "0", inclusive = false, message = "must be above 0: the load cell's rating, e.g. 10 or 200")
        BigDecimal capacityKg,
        @Valid @NotNull @DefaultValue @NestedConfigurationProperty ZeroTrackingOptions zeroTracking,
        @Valid @NotNull @DefaultValue @NestedConfigurationProperty TemperatureOptions temperature,
        @Valid @NotNull @DefaultValue @NestedConfigurationProperty EventOptions events,
        @Valid @NotNull @DefaultValue @NestedConfigurationProperty Hx711Options hx711,
        @Valid @NotNull @DefaultValue @NestedConfigurationProperty InitialCalibration calibration,
        @Valid @NotNull @DefaultValue @NestedConfigurationProperty SimulatorOptions simulator,
        @Valid @NotNull @DefaultValue Stable stable,
        @Valid @NotNull @DefaultValue List<Listed> scales) {
    // @formatter:on

    /** The smallest change of the settled weight that makes a weight event: events.min-change-kg, or 10 divisions. */
    public BigDecimal eventMinChangeKg() {
        return events.minChangeKg() != null ? events.minChangeKg() : divisionKg.multiply(BigDecimal.TEN);
    }

    /** The scales this process weighs with: those of scale.scales, or the one scale of scale.* when it is empty. */
    public List<Listed> weighed() {
        return scales.isEmpty()
                ? List.of(new Listed(deviceId, divisionKg, capacityKg, zeroTracking, temperature, events, hx711,
                        calibration, simulator))
                : scales;
    }

    /**
     * Whether this process weighs with several scales: then each has a folder of its own in the data dir, topics
     * under its device id, and route and step ids marked with it.
     */
    public boolean several() {
        return weighed().size() > 1;
    }

    /** Where this scale keeps its tare, calibration and seq: the data dir, or a folder of its own there among several. */
    public Path dataDirOf(String deviceId) {
        return several() ? dataDir.resolve(deviceId) : dataDir;
    }

    /**
     * These settings for one of the listed scales, as if it were the only one (its data dir its own folder): for the
     * sub-commands, which work on one load cell.
     *
     * @throws IllegalArgumentException when scale.scales lists no scale of that device id
     */
    public ScaleProperties onlyScale(String deviceId) {
        Listed listed = weighed().stream().filter(one -> one.deviceId().equals(deviceId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("scale.scales lists "
                        + String.join(", ", weighed().stream().map(Listed::deviceId).toList())
                        + ", not " + deviceId + ": name the one to use with --scale.device-id="
                        + weighed().get(0).deviceId()));
        return new ScaleProperties(deviceId, sensor, sampleInterval, dataDirOf(deviceId), routesDir,
                listed.divisionKg(), listed.capacityKg(), listed.zeroTracking(), listed.temperature(), listed.events(),
                listed.hx711(), listed.calibration(), listed.simulator(), stable, List.of());
    }

    @AssertTrue(message = "scale.scales: each scale needs a device-id of its own")
    boolean isEachDeviceIdOnce() {
        return weighed().stream().map(Listed::deviceId).distinct().count() == weighed().size();
    }

    @AssertTrue(message = "scale.scales: each scale needs an HX711 of its own, on pins (or an SPI bus) no other "
            + "scale uses: one chip, or one pin, cannot serve two scales")
    boolean isEachChipOnce() {
        List<String> used = weighed().stream().map(Listed::hx711)
                .flatMap(hx711 -> Stream.of(hx711.describePins().split(", "))).toList();
        // one scale's own pins are checked by scale.hx711's rule
        return !several() || used.stream().distinct().count() == used.size();
    }

    /**
     * One of several scales in one process: a load cell on an HX711 of its own. Its topics are under
     * {@code scale/<device-id>/}, its tare, calibration and {@code seq} are kept in {@code <data-dir>/<device-id>/}.
     *
     * @param deviceId     the scale's id in topics and payloads (letters, digits, . _ -)
     * @param divisionKg   its division e; default: scale.division-kg
     * @param capacityKg   its capacity; default: scale.capacity-kg
     * @param zeroTracking its zero tracking; what is left out is taken from scale.zero-tracking
     * @param temperature  its temperature sensor and compensation; what is left out is taken from scale.temperature
     * @param events       its weight events; what is left out is taken from scale.events
     * @param hx711       its HX711's wiring and sampling; what is left out is taken from scale.hx711
     * @param calibration its first-run calibration; what is left out is taken from scale.calibration
     * @param simulator   its simulated load cell; what is left out is taken from scale.simulator
     */
    // @formatter:off
    public record Listed(
            @NotBlank
            @Pattern(regexp = "[A-Za-z0-9._-]+",
                    message = "may only hold letters, digits, '.', '_' and '-' because it becomes part of MQTT topics")
            String deviceId,
            @NotNull @DecimalMin(value = "0", inclusive = false) BigDecimal divisionKg,
            @DecimalMin(value = "0", inclusive = false) BigDecimal capacityKg,
            @Valid @NotNull @DefaultValue ZeroTrackingOptions zeroTracking,
            @Valid @NotNull @DefaultValue TemperatureOptions temperature,
            @Valid @NotNull @DefaultValue EventOptions events,
            @Valid @NotNull @DefaultValue Hx711Options hx711,
            @Valid @NotNull @DefaultValue InitialCalibration calibration,
            @Valid @NotNull @DefaultValue SimulatorOptions simulator) {
        // @formatter:on
    }

    public enum Sensor {
        /** The HX711 on a Raspberry Pi, the simulator anywhere else. */
        AUTO,
        HX711,
        SIMULATED
    }

    /**
     * When a weight counts as settled, as a shop scale's "stable" mark: the readings of the last window lie within
     * the tolerance. Published readings carry it ({@code "stable": true|false}).
     *
     * @param window      how long the readings must stay within the tolerance
     * @param toleranceKg how far apart the readings of the window may lie
     */
    // @formatter:off
    public record Stable(
            @NotNull @DurationMin(millis = 1, message = "must be above 0: how long the weight must stay within the "
                    + "tolerance to count as settled; e.g. 2s")
            @DefaultValue("2s") Duration window,
            @NotNull @DecimalMin("0") @DefaultValue("0.005") BigDecimal toleranceKg) {
        // @formatter:on
    }
}
