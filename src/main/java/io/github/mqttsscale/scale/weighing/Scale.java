package io.github.mqttsscale.scale.weighing;

import java.nio.file.Path;
import java.util.Optional;

import io.github.mqttsscale.hx711.Hx711Simulator;

/**
 * One load cell and what makes its weights: its HX711, calibration and tare, settling, when to publish and its
 * {@code seq}. The route template weigh-and-publish is instantiated once per scale, with these as its beans.
 *
 * @param deviceId       its id in topics and payloads
 * @param routeIdSuffix  what its routes' ids add to their template's id: nothing with one scale, -&lt;device-id&gt;
 *                       with several
 * @param settings       its HX711's wiring and sampling
 * @param weightTopic    where its weights are published
 * @param dataDir        where its tare, calibration and seq are kept
 * @param calibration    counts to kilograms
 * @param stableWeight   whether the weight settled
 * @param publishPolicy  whether a weight is worth publishing
 * @param weightReports  the published reports, with its seq
 * @param loadCell       its sensor, for the operations that need a fresh reading now
 * @param simulator      its simulated HX711, when the sensor is simulated
 * @param minLoadCounts  calibrating refuses a known weight that moves the reading less than this
 */
public record Scale(String deviceId, String routeIdSuffix, ScaleProperties.Hx711 settings, String weightTopic,
        Path dataDir, Calibration calibration, StableWeight stableWeight, PublishPolicy publishPolicy,
        SequenceNumbers sequenceNumbers, WeightReports weightReports, LoadCell loadCell,
        Optional<Hx711Simulator> simulator, int minLoadCounts) {

    /** The id of the route template in routes/scale.camel.yaml that each scale's route is made from. */
    public static final String ROUTE_TEMPLATE = "weigh-and-publish";

    /** The id of its weigh-and-publish route. */
    public String routeId() {
        return routeId(ROUTE_TEMPLATE);
    }

    /** The id of its route made from that template. */
    public String routeId(String template) {
        return template + routeIdSuffix;
    }
}
