package io.github.mqttsscale.scale.weighing;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything about the scale itself: which sensor, how it is wired, how counts become kilograms and
 * when a weight is worth publishing. Fixed defaults are written here and nowhere else; the five that depend on
 * the machine or on other settings (device id, data and routes folders, topic, client id) are derived by
 * {@link io.github.mqttsscale.scale.DerivedDefaults}. The README's configuration table and the package's application.yaml are checked
 * against the metadata generated from this javadoc (ConfigurationMetadataTest).
 *
 * @param deviceId       the scale's id in topics and payloads (letters, digits, . _ -); default: the host name
 * @param sensor         auto: the HX711 on a Raspberry Pi, the simulator elsewhere (with a warning); hx711; simulated
 * @param sampleInterval time between readings
 * @param dataDir        tare and calibration, outbox, sequence numbers and the web password; created private
 *                       (mode 700); default: ~/.mqtts-scale
 * @param routesDir      folder of the route YAML files that are loaded and watched; default: routes
 * @param resolutionKg   weights are rounded (not floored) to this
 * @param hx711          how the HX711 is wired and sampled
 * @param calibration    how counts become kilograms
 * @param publish        when and where weights are published
 * @param simulator      the simulated load cell
 * @param homeAssistant  Home Assistant MQTT discovery
 * @param statusPage     the status page
 * @param stable         when a weight counts as settled
 * @param scales         several scales in one process, each with its own device-id, hx711, calibration and simulator;
 *                       what an entry leaves out is taken from scale.hx711, scale.calibration and scale.simulator,
 *                       setting by setting; default: none, one scale (scale.device-id)
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
        @NotNull @DefaultValue("1s") Duration sampleInterval,
        @NotNull Path dataDir,
        @NotNull Path routesDir,
        @NotNull @DecimalMin(value = "0", inclusive = false, message = "must be above 0, e.g. 0.001 for grams")
        @DefaultValue("0.001") BigDecimal resolutionKg,
        @Valid @NotNull @DefaultValue Hx711 hx711,
        @Valid @NotNull @DefaultValue Calibration calibration,
        @Valid @NotNull @DefaultValue Publish publish,
        @Valid @NotNull @DefaultValue Simulator simulator,
        @Valid @NotNull @DefaultValue HomeAssistant homeAssistant,
        @Valid @NotNull @DefaultValue StatusPage statusPage,
        @Valid @NotNull @DefaultValue Stable stable,
        @Valid @NotNull @DefaultValue List<Listed> scales) {
    // @formatter:on

    /** The scales this process weighs with: those of scale.scales, or the one scale of scale.* when it is empty. */
    public List<Listed> weighed() {
        return scales.isEmpty() ? List.of(new Listed(deviceId, hx711, calibration, simulator)) : scales;
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
        return new ScaleProperties(deviceId, sensor, sampleInterval, dataDirOf(deviceId), routesDir, resolutionKg,
                listed.hx711(), listed.calibration(), publish, listed.simulator(), homeAssistant, statusPage, stable,
                List.of());
    }

    @AssertTrue(message = "scale.scales: each scale needs a device-id of its own")
    boolean isEachDeviceIdOnce() {
        return weighed().stream().map(Listed::deviceId).distinct().count() == weighed().size();
    }

    @AssertTrue(message = "scale.scales: each scale needs an HX711 of its own, on pins (or an SPI bus) no other "
            + "scale uses: one chip, or one pin, cannot serve two scales")
    boolean isEachChipOnce() {
        List<String> used = weighed().stream().map(Listed::hx711)
                .flatMap(hx711 -> hx711.wiring() == Wiring.SPI
                        ? Stream.of("SPI bus " + hx711.spiBus())
                        : Stream.of("BCM " + hx711.dataPin(), "BCM " + hx711.clockPin()))
                .toList();
        // one scale's own pins are checked by scale.hx711's rule
        return !several() || used.stream().distinct().count() == used.size();
    }

    /**
     * One of several scales in one process: a load cell on an HX711 of its own. Its topics are under
     * {@code scale/<device-id>/}, its tare, calibration and {@code seq} are kept in {@code <data-dir>/<device-id>/}.
     *
     * @param deviceId    the scale's id in topics and payloads (letters, digits, . _ -)
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
            @Valid @NotNull @DefaultValue Hx711 hx711,
            @Valid @NotNull @DefaultValue Calibration calibration,
            @Valid @NotNull @DefaultValue Simulator simulator) {
        // @formatter:on
    }

    public enum Sensor {
        /** The HX711 on a Raspberry Pi, the simulator anywhere else. */
        AUTO,
        HX711,
        SIMULATED
    }

    /** How the HX711's PD_SCK and DOUT reach the Pi. */
    public enum Wiring {
        /** Two GPIO pins; the clock is made by this program and timed, pulse by pulse. */
        GPIO,
        /** PD_SCK on MOSI, DOUT on MISO of an SPI bus; the clock is made by the SPI hardware. */
        SPI
    }

    /** When a weight is published. */
    public enum PublishOn {
        /** When it moved by at least min-change-kg (and at the heartbeat). */
        CHANGE,
        /** Once it settled at a value at least min-change-kg from the last published one (and at the heartbeat). */
        STABLE
    }

    public enum PayloadFormat {
        /** {@code {"deviceId":..,"weight":..,"unit":"kg","timestamp":..,"seq":..,"raw":..}} */
        JSON,
        /** The original ESP32 scale's payload: the weight in kg as a plain decimal string. */
        PLAIN
    }

    /**
     * Wiring and sampling of the HX711: on two GPIO pins (BCM numbers), or with PD_SCK on an SPI bus's MOSI and DOUT
     * on its MISO, where the clock is made by hardware and no sample is lost to a busy machine.
     *
     * @param wiring   gpio: DOUT and PD_SCK on data-pin and clock-pin; spi: PD_SCK on MOSI, DOUT on MISO of spi-bus,
     *                 the clock made by the SPI hardware
     * @param dataPin  BCM pin wired to DOUT (wiring gpio)
     * @param clockPin BCM pin wired to PD_SCK (wiring gpio)
     * @param spiBus   SPI bus, /dev/spidev<bus>.0 (wiring spi)
     * @param gain     128 or 64 (channel A), 32 (channel B)
     * @param samples  good samples per reading
     * @param combine  how they make the reading: median (the middle sample, a wild one cannot move it) or
     *                 trimmed-mean (the mean after dropping the highest and lowest 20 %, steadier on noise)
     * @param rate     10 or 80: samples per second the HX711's RATE pin is wired for
     */
    // @formatter:off
    public record Hx711(
            @NotNull @DefaultValue("gpio") Wiring wiring,
            @Min(0) @Max(27) @DefaultValue("5") int dataPin,
            @Min(0) @Max(27) @DefaultValue("6") int clockPin,
            @Min(0) @Max(6) @DefaultValue("0") int spiBus,
            @DefaultValue("128") int gain,
            @Min(1) @Max(99) @DefaultValue("5") int samples,
            @NotNull @DefaultValue("median") io.github.mqttsscale.hx711.Hx711Combine combine,
            @DefaultValue("10") int rate) {
        // @formatter:on

        /** The driver's settings for this wiring, for the sub-commands that read the HX711 without Camel. */
        public io.github.mqttsscale.hx711.Hx711Settings driverSettings() {
            io.github.mqttsscale.hx711.Hx711Wiring pins = wiring == Wiring.SPI
                    ? new io.github.mqttsscale.hx711.Hx711Wiring.Spi(spiBus, 0,
                            io.github.mqttsscale.hx711.Hx711Wiring.Spi.DEFAULT_SPEED_HZ)
                    : new io.github.mqttsscale.hx711.Hx711Wiring.Gpio(dataPin, clockPin);
            return io.github.mqttsscale.hx711.Hx711Settings.defaults().withWiring(pins)
                    .withGain(io.github.mqttsscale.hx711.Hx711Gain.of(gain)).withSamples(samples).withCombine(combine)
                    .withRate(rate);
        }

        @AssertTrue(message = "scale.hx711.data-pin and scale.hx711.clock-pin must be different BCM pins")
        boolean isPinsDistinct() {
            return dataPin != clockPin;
        }

        @AssertTrue(message = "scale.hx711.gain must be 128 or 64 (channel A) or 32 (channel B)")
        boolean isGainSupported() {
            return gain == 128 || gain == 64 || gain == 32;
        }

        @AssertTrue(
                message = "scale.hx711.rate must be 10 or 80 (samples per second, as the HX711's RATE pin is wired)")
        boolean isRateSupported() {
            return rate == 10 || rate == 80;
        }
    }

    /**
     * How raw counts become kilograms: {@code kg = (raw - offset) / countsPerKg}. Offset and counts per kg are
     * only the first-run values: tare and calibration replace them in {@code <data-dir>/calibration.properties}.
     *
     * @param offset        raw count with nothing on the scale (the original's value); first run only: tare replaces
     *                      it in <data-dir>/calibration.properties
     * @param countsPerKg   counts per kilogram (the original's value); first run only: calibration replaces it in
     *                      <data-dir>/calibration.properties
     * @param minLoadCounts calibrating refuses a known weight that moves the reading less than this many counts from
     *                      the tare ("no load detected")
     */
    // @formatter:off
    public record Calibration(
            @DefaultValue("75353") int offset,
            @DecimalMin(value = "0", inclusive = false,
                    message = "must be above 0: put a known weight on the scale and divide the change in counts by its kg")
            @DefaultValue("12780") double countsPerKg,
            @Min(1) @DefaultValue("500") int minLoadCounts) {
        // @formatter:on
    }

    /**
     * Home Assistant MQTT discovery: a retained sensor config under {@code <prefix>/sensor/<device-id>/weight/config}.
     *
     * @param discovery publish the Home Assistant discovery config on every connect; false turns it off
     * @param prefix    Home Assistant's discovery prefix
     */
    // @formatter:off
    public record HomeAssistant(@DefaultValue("true") boolean discovery,
            @NotBlank @DefaultValue("homeassistant") String prefix) {
        // @formatter:on
    }

    /**
     * The status page at {@code /}.
     *
     * @param history how far back the status page's plot goes
     */
    public record StatusPage(@NotNull @DefaultValue("10m") Duration history) {
    }

    /**
     * When a weight is published: on a change of at least minChangeKg, and at least every heartbeat.
     *
     * @param topic       where weights go (the original scale used scale/value; with several scales, each uses
    *                    scale/<its device-id>/weight); default: scale/<device-id>/weight
     * @param minChangeKg publish when the weight moved at least this much
     * @param heartbeat   publish at least this often, even if nothing changed
     * @param format      json (the reading as JSON) or plain (the original's decimal string)
     * @param on          change: when the weight moved by min-change-kg; stable: once it settled at a value that far
     *                    from the last published one (see scale.stable.*); both also at the heartbeat
     */
    // @formatter:off
    public record Publish(
            @NotBlank String topic,
            @NotNull @DecimalMin("0") @DefaultValue("0.01") BigDecimal minChangeKg,
            @NotNull @DefaultValue("60s") Duration heartbeat,
            @NotNull @DefaultValue("json") PayloadFormat format,
            @NotNull @DefaultValue("change") PublishOn on) {
        // @formatter:on
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
            @NotNull @DefaultValue("2s") Duration window,
            @NotNull @DecimalMin("0") @DefaultValue("0.005") BigDecimal toleranceKg) {
        // @formatter:on
    }

    /**
     * The simulated load cell used when there is no HX711. {@code benchmarkConversionsPerSecond} is for benchmarks
     * only (docs/performance.md): the simulated chip converts that often instead of at {@code scale.hx711.rate},
     * which no HX711 can; 0 (the default) keeps the datasheet's rate.
     *
     * @param loadKg                        load on the simulated scale at start
     * @param noiseCounts                   standard deviation of the simulated noise, in counts
     * @param benchmarkConversionsPerSecond benchmarks only: the simulator converts this often instead of at
     *                                      scale.hx711.rate (0: at the rate)
     */
    // @formatter:off
    public record Simulator(@DefaultValue("2.5") double loadKg, @DefaultValue("0") double noiseCounts,
            @Min(0) @DefaultValue("0") int benchmarkConversionsPerSecond) {
        // @formatter:on
    }
}
