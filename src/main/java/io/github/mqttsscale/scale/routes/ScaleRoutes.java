package io.github.mqttsscale.scale.routes;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;

import io.github.mqttsscale.scale.operations.Operations;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.ScaleStep;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * Makes each scale's routes from the route templates of the routes folder: every template that declares a
 * {@value #DEVICE_ID} parameter becomes one route per scale, with the scale's device id (and whatever else of
 * {@link Scale#routeParameters()} it declares: {@value #TOPIC}, its weight topic; temperatureReadInterval); the steps find the scale's beans by its device id
 * ({@code ref: "{{deviceId}}-calibration"}), bound here: its weighing beans, its operations and one of each
 * {@link ScaleStep} bean. The routes are made anew when an edit of the folder's files reloads a template.
 */
public class ScaleRoutes implements ModelLifecycleStrategy, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleRoutes.class);
    /** The parameter that makes a route template one of each scale's routes. */
    static final String DEVICE_ID = "deviceId";
    /** The parameter that gives a template the scale's weight topic. */
    static final String TOPIC = "topic";
    /** How often a scale's route that could not start is tried again. */
    private static final Duration RETRY = Duration.ofSeconds(10);
    /** How long an edit's reload may take to put its template in place. */
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(60);

    private final Scales scales;
    private final Operations operations;
    private final ListableBeanFactory beans;
    private final CamelContext camel;
    /** Routes that could not start, each logged once until it runs. */
    private final Set<String> failing = new HashSet<>();
    private boolean retryPlanned;
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "scale-routes");
        thread.setDaemon(true);
        return thread;
    });

    public ScaleRoutes(Scales scales, Operations operations, ListableBeanFactory beans, CamelContext camel) {
        this.scales = scales;
        this.operations = operations;
        this.beans = beans;
        this.camel = camel;
    }

    /**
     * Binds each scale's beans into the routes' registry as {@code <device-id>-<name>}: its weighing beans, its
     * operations ({@code scaleOperations}) and a new one of each {@link ScaleStep} bean, made for that scale.
     */
    public void bindBeans() {
        String[] steps = beans.getBeanNamesForAnnotation(ScaleStep.class);
        for (Scale scale : scales.all()) {
            Map<String, Object> named = new LinkedHashMap<>(scale.beans());
            named.put("scaleOperations", operations.of(scale.deviceId()));
            for (String step : steps) {
                named.put(step, newStep(step, scale));
            }
            named.forEach((name, bean) -> camel.getRegistry().bind(scale.beanName(name), bean));
        }
    }

    /**
     * A new {@link ScaleStep} bean for this scale. Made here with the scale as its one argument: Spring's own
     * {@code getBean(name, args)} would not pass it where the bean definitions are generated ahead of time (AOT).
     */
    private Object newStep(String name, Scale scale) {
        Class<?> type = beans.getType(name);
        try {
            return type.getConstructor(Scale.class).newInstance(scale);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The @ScaleStep bean " + name + " (" + type.getName() + ") needs a public "
                    + "constructor that takes the Scale: " + e, e);
        }
    }

    /** Whether routes are made of this template for each scale. */
    static boolean isPerScale(RouteTemplateDefinition template) {
        return template.getTemplateParameters() != null && template.getTemplateParameters().stream()
                .anyMatch(parameter -> DEVICE_ID.equals(parameter.getName()));
    }

    /**
     * An edited route file was loaded again: once its template is in place, the scales' routes are made anew from it
     * (Camel reloads a file's templates, not the routes made from them).
     */
    @Override
    public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
        if (camel.isStarted() && isPerScale(template)) {
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
        for (RouteTemplateDefinition template : List.copyOf(model.getRouteTemplateDefinitions())) {
            if (isPerScale(template)) {
                for (Scale scale : scales.all()) {
                    allRun &= add(model, template, scale);
                }
            }
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

    /** @return whether the scale's route from this template runs */
    private boolean add(Model model, RouteTemplateDefinition definition, Scale scale) {
        String template = definition.getId();
        String routeId = scale.routeId(template);
        if (camel.getRoute(routeId) != null) {
            return true;
        }
        try {
            TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(camel, template).routeId(routeId)
                    .prefixId(nodeIdPrefix(scale));
            Map<String, String> offered = scale.routeParameters();
            definition.getTemplateParameters().stream().map(parameter -> parameter.getName())
                    .filter(offered::containsKey).forEach(name -> route.parameter(name, offered.get(name)));
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
