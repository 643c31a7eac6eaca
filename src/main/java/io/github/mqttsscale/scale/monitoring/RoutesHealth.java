package io.github.mqttsscale.scale.monitoring;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * {@code routes}: DOWN while a route that the weights pass through is stopped or suspended (Hawtio's Camel view may
 * stop and start routes: a route stopped there and forgotten would otherwise stop the scale silently), naming each
 * such route, what it costs and how to start it again; each scale's weigh-and-publish route, and the publishing
 * routes. UP while they all run.
 */
public class RoutesHealth extends AbstractHealthIndicator {

    /** The routes every weight goes through after its scale's own; the outbox's sender only when the routes have it. */
    static final String PUBLISH = "publish";
    static final String SEND_KEPT_READINGS = "send-kept-readings";

    /** Asked when needed: health exists before Camel, whose start needs beans of the scales. */
    private final Supplier<CamelContext> camel;
    private final Scales scales;

    public RoutesHealth(Supplier<CamelContext> camel, Scales scales) {
        super("Routes health check failed");
        this.camel = camel;
        this.scales = scales;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        Map<String, String> stopped = new LinkedHashMap<>();
        for (Scale scale : scales.all()) {
            check(scale.routeId(), true, stopped,
                    "scale " + scale.deviceId() + " reads and publishes no weight, and tare and calibration fail");
        }
        check(PUBLISH, true, stopped, "no weight reaches the broker: the readings are kept in the outbox meanwhile");
        check(SEND_KEPT_READINGS, false, stopped, "the readings kept in the outbox are not sent");
        if (stopped.isEmpty()) {
            health.up();
        } else {
            health.down().withDetail("stopped", stopped);
        }
    }

    private void check(String routeId, boolean needed, Map<String, String> stopped, String cost) {
        CamelContext camel = this.camel.get();
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
        if (status == null) {
            if (needed && camel.isStarted()) {
                stopped.put(routeId, "the route " + routeId + " is not there: " + cost + "; put it back in the "
                        + "routes folder (scale.routes-dir), or restart the service (sudo systemctl restart "
                        + "mqtts-scale) after fixing the file");
            }
            return;
        }
        if (!status.isStarted() && !status.isStarting() && camel.isStarted()) {
            stopped.put(routeId, String.format(Locale.ROOT, "the route %s is %s: %s; start it again in Hawtio (Camel, "
                    + "Routes, %s, Start) or restart the service (sudo systemctl restart mqtts-scale)", routeId,
                    status.name().toLowerCase(Locale.ROOT), cost, routeId));
        }
    }

}
