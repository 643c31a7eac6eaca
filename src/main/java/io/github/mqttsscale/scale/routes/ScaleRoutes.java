package io.github.mqttsscale.scale.routes;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.mqttsscale.scale.operations.CommandInbox;
import io.github.mqttsscale.scale.operations.Operations;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * Makes each scale's routes from the route templates of the routes folder: weigh-and-publish with the scale's HX711
 * and topic as parameters and its weighing steps as beans, commands with its operations; and makes them anew when an
 * edit of the folder's files reloads a template.
 */
public class ScaleRoutes implements ModelLifecycleStrategy, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleRoutes.class);
    private static final Set<String> TEMPLATES = Set.of(Scale.ROUTE_TEMPLATE, CommandInbox.ROUTE_TEMPLATE);
    /** How often a scale's route that could not start is tried again. */
    private static final Duration RETRY = Duration.ofSeconds(10);
    /** How long an edit's reload may take to put its template in place. */
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(60);

    private final Scales scales;
    private final Operations operations;
    private final CamelContext camel;
    /** Routes that could not start, each logged once until it runs. */
    private final Set<String> failing = new HashSet<>();
    private boolean retryPlanned;
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "scale-routes");
        thread.setDaemon(true);
        return thread;
    });

    public ScaleRoutes(Scales scales, Operations operations, CamelContext camel) {
        this.scales = scales;
        this.operations = operations;
        this.camel = camel;
    }

    /**
     * An edited route file was loaded again: once its template is in place, the scales' routes are made anew from it
     * (Camel reloads a file's templates, not the routes made from them).
     */
    @Override
    public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
        if (camel.isStarted() && TEMPLATES.contains(template.getId())) {
            background.execute(() -> remake(template));
        }
    }

    private void remake(RouteTemplateDefinition template) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        long deadline = System.nanoTime() + RELOAD_TIMEOUT.toNanos();
        try {
            while (model.getRouteTemplateDefinitions().stream().noneMatch(loaded -> loaded == template)) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("The edited route template {} did not take effect: the scales keep their routes",
                            template.getId());
                    return;
                }
                Thread.sleep(20);
            }
            // Camel adds a reloaded template beside the one it replaces, and would go on making routes from the old
            for (RouteTemplateDefinition loaded : List.copyOf(model.getRouteTemplateDefinitions())) {
                if (loaded != template && loaded.getId().equals(template.getId())) {
                    model.removeRouteTemplateDefinition(loaded);
                }
            }
            synchronized (this) {
                for (Scale scale : scales.all()) {
                    RouteDefinition made = model.getRouteDefinition(scale.routeId(template.getId()));
                    if (made != null) {
                        model.removeRouteDefinition(made);
                    }
                }
                addMissing();
            }
            LOG.info("Made the scales' routes anew from the edited route template {}", template.getId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("Cannot make the scales' routes from the edited route template {}: {}", template.getId(),
                    e.getMessage(), e);
        }
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        // routes of their own are reloaded by Camel
    }

    @Override
    public void onRemoveRouteDefinition(RouteDefinition route) {
        // nothing to do
    }

    @Override
    public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition template) {
        // the routes made from it run on until a template of that id comes back
    }

    @Override
    public void close() {
        background.shutdownNow();
    }

    /**
     * Adds the routes of every scale that has none yet, from the templates there are now. A route that cannot start
     * (its sensor's pins taken by another program, no GPIO at all) does not keep the other scales from weighing: it is
     * logged and tried again every {@link #RETRY}.
     */
    public synchronized void addMissing() {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        boolean allRun = true;
        for (Scale scale : scales.all()) {
            ScaleProperties.Hx711 hx711 = scale.settings();
            allRun &= add(model, Scale.ROUTE_TEMPLATE, scale, route -> route
                    .parameter("deviceId", scale.deviceId())
                    .parameter("topic", scale.weightTopic())
                    .parameter("wiring", hx711.wiring().name().toLowerCase(Locale.ROOT))
                    .parameter("dataPin", hx711.dataPin())
                    .parameter("clockPin", hx711.clockPin())
                    .parameter("spiBus", hx711.spiBus())
                    .parameter("gain", hx711.gain())
                    .parameter("samples", hx711.samples())
                    .parameter("combine", hx711.combine().optionValue())
                    .parameter("rate", hx711.rate())
                    .bean("calibration", scale.calibration())
                    .bean("stableWeight", scale.stableWeight())
                    .bean("publishPolicy", scale.publishPolicy())
                    .bean("weightReports", scale.weightReports()));
            allRun &= add(model, CommandInbox.ROUTE_TEMPLATE, scale, route -> route
                    .parameter("deviceId", scale.deviceId())
                    .bean("scaleOperations", operations.of(scale.deviceId())));
        }
        if (model.getRouteTemplateDefinition(Scale.ROUTE_TEMPLATE) == null) {
            LOG.error("No route template {} in the routes folder: the scale does not weigh. Put scale.camel.yaml "
                    + "back (delete the folder's YAML files and restart to get the default ones)",
                    Scale.ROUTE_TEMPLATE);
        }
        if (!allRun && !retryPlanned) {
            retryPlanned = true;
            background.schedule(() -> {
                synchronized (this) {
                    retryPlanned = false;
                    addMissing();
                }
            }, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** @return whether the scale's route from this template runs (or there is no such template) */
    private boolean add(Model model, String template, Scale scale, Consumer<TemplatedRouteBuilder> parameters) {
        String routeId = scale.routeId(template);
        if (model.getRouteTemplateDefinition(template) == null || camel.getRoute(routeId) != null) {
            return true;
        }
        try {
            TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(camel, template).routeId(routeId)
                    .prefixId(nodeIdPrefix(scale));
            parameters.accept(route);
            route.add();
            if (template.equals(Scale.ROUTE_TEMPLATE)) {
                scale.loadCell().startFailed(null);
            }
            if (failing.remove(routeId)) {
                LOG.info("The route {} runs now", routeId);
            }
            return true;
        } catch (Exception e) {
            removeLeftOver(model, routeId);
            if (template.equals(Scale.ROUTE_TEMPLATE)) {
                scale.loadCell().startFailed(e.getMessage());
            }
            if (failing.add(routeId)) {
                LOG.error("The route {} of scale {} cannot start: {}. {}It is tried again every {} s", routeId,
                        scale.deviceId(), e.getMessage(), scales.several() ? "The other scales go on. " : "",
                        RETRY.toSeconds());
            }
            return false;
        }
    }

    private static void removeLeftOver(Model model, String routeId) {
        RouteDefinition left = model.getRouteDefinition(routeId);
        if (left != null) {
            try {
                model.removeRouteDefinition(left);
            } catch (Exception e) {
                LOG.debug("Could not remove the route {} that did not start: {}", routeId, e.getMessage());
            }
        }
    }

    /**
     * Step ids stay unique across the scales' routes (Camel and JMX want them so); one scale's steps keep their ids as
     * written (without a prefix Camel would give them one of its own, and Hawtio's diagram, which knows the steps by
     * the ids written, would find no counts).
     */
    private String nodeIdPrefix(Scale scale) {
        return scales.several() ? scale.deviceId() + "-" : "";
    }
}
