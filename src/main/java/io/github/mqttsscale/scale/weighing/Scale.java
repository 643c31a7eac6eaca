package io.github.mqttsscale.scale.weighing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.github.mqttsscale.hx711.Hx711Simulator;

/**
 * One load cell and what makes its weights: its settings, calibration and tare, settling, when to publish and its
 * {@code seq}. Every route template of the routes folder that declares a {@code deviceId} parameter is made into a
 * route of each scale; its steps find the scale's beans by the scale's device id ({@code ref: "{{deviceId}}-calibration"},
 * see {@link #beans()} and {@link ScaleStep}).
 *
 * @param deviceId        its id in topics and payloads
 * @param routeIdSuffix   what its routes' ids add to their template's id: nothing with one scale, -&lt;device-id&gt;
 *                        with several
 * @param settings        its settings, as if it were the only scale (its own data dir, HX711, calibration, simulator)
 * @param weightTopic     where its weights are published
 * @param calibration     counts to kilograms
 * @param stableWeight    whether the weight settled
 * @param publishPolicy   whether a weight is worth publishing
 * @param sequenceNumbers its readings' seq
 * @param weightReports   the published reports, with its seq
 * @param eventSequenceNumbers its weight events' seq, a count of their own (file event-seq)
 * @param loadCell        its sensor, for the operations that need a fresh reading now
 * @param simulator       its simulated HX711, when the sensor is simulated
 * @param problems        what is wrong with its weights now (overload, zero tracking at its limit, ...)
 * @param temperature     its temperature sensor, the cell's temperature and learn-temperature
 */
public record Scale(String deviceId, String routeIdSuffix, ScaleProperties settings, String weightTopic,
        Calibration calibration, StableWeight stableWeight, PublishPolicy publishPolicy,
        SequenceNumbers sequenceNumbers, WeightReports weightReports, SequenceNumbers eventSequenceNumbers,
        LoadCell loadCell, Optional<Hx711Simulator> simulator, ScaleProblems problems, ScaleTemperature temperature) {

    /** The id of the route template in routes/scale.camel.yaml that reads each scale's load cell. */
    public static final String ROUTE_TEMPLATE = "weigh-and-publish";

    /** Whether this scale publishes on the topic: its weight topic, or one of scale/&lt;device-id&gt;/. */
    public boolean publishesOn(String topic) {
        return topic.equals(weightTopic) || topic.startsWith("scale/" + deviceId + "/");
    }

    /** The id of its weigh-and-publish route. */
    public String routeId() {
        return routeId(ROUTE_TEMPLATE);
    }

    /** The id of its route made from that template. */
    public String routeId(String template) {
        return template + routeIdSuffix;
    }

    /** The name its bean of this name has in the routes' registry: {@code <device-id>-<name>}. */
    public String beanName(String name) {
        return deviceId + "-" + name;
    }

    /** Its weighing steps' beans, by the name the route YAML gives them after the device id. */
    public Map<String, Object> beans() {
        Map<String, Object> beans = new LinkedHashMap<>();
        beans.put("calibration", calibration);
        beans.put("stableWeight", stableWeight);
        beans.put("publishPolicy", publishPolicy);
        beans.put("weightReports", weightReports);
        beans.put("temperature", temperature);
        return beans;
    }

    /**
     * What each of its routes' templates may declare as a parameter, by name: {@code deviceId}, {@code topic} (its
     * weight topic) and {@code temperatureReadInterval} (its scale.temperature.read-interval, in ms: a timer's period).
     */
    public Map<String, String> routeParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("deviceId", deviceId);
        parameters.put("topic", weightTopic);
        parameters.put("temperatureReadInterval", String.valueOf(settings.temperature().readInterval().toMillis()));
        return parameters;
    }
}
