package io.github.mqttsscale.scale.monitoring;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.ModelToXMLDumper;

/**
 * Camel's XML dump of the routes, which Hawtio's Source view and route diagram show, with each step's id as the
 * running route has it. A route made from a template with a node prefix (each scale's, when there are several) runs
 * its steps as {@code <prefix><id>}, and their statistics carry that id, but Camel dumps the ids as the template
 * wrote them: the diagram would find no counts. The steps a route gets from a route configuration (its
 * {@code onException}) run under the ids written there, without the prefix, and keep them.
 */
class StepIdsAsRun implements ModelToXMLDumper {

    private static final Pattern ROUTE = Pattern.compile("<route\\b[^>]*?\\sid=\"([^\"]+)\".*?</route>",
            Pattern.DOTALL);
    /** An id attribute of any element but the route itself. */
    private static final Pattern STEP_ID = Pattern.compile("(<(?!route\\b)[A-Za-z][\\w-]*\\b[^>]*?\\sid=\")([^\"]+\")");

    private final ModelToXMLDumper camel;

    StepIdsAsRun(ModelToXMLDumper camel) {
        this.camel = camel;
    }

    @Override
    public String dumpModelAsXml(CamelContext context, NamedNode definition) throws Exception {
        return asRun(context, camel.dumpModelAsXml(context, definition));
    }

    @Override
    public String dumpModelAsXml(CamelContext context, NamedNode definition, boolean resolvePlaceholders,
            boolean generatedIds, boolean sourceLocation) throws Exception {
        return asRun(context,
                camel.dumpModelAsXml(context, definition, resolvePlaceholders, generatedIds, sourceLocation));
    }

    @Override
    public String dumpBeansAsXml(CamelContext context, List<Object> beans) throws Exception {
        return camel.dumpBeansAsXml(context, beans);
    }

    @Override
    public String dumpDataFormatsAsXml(CamelContext context, Map<String, Object> dataFormats) throws Exception {
        return camel.dumpDataFormatsAsXml(context, dataFormats);
    }

    static String asRun(CamelContext context, String xml) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Set<String> unprefixed = routeConfigurationStepIds(model);
        Matcher route = ROUTE.matcher(xml);
        StringBuilder out = new StringBuilder();
        while (route.find()) {
            RouteDefinition definition = model.getRouteDefinition(route.group(1));
            String prefix = definition == null ? null : definition.getNodePrefixId();
            String text = route.group();
            if (prefix != null && !prefix.isEmpty()) {
                text = STEP_ID.matcher(text).replaceAll(step -> Matcher.quoteReplacement(
                        unprefixed.contains(step.group(2).replaceFirst("\"$", ""))
                                ? step.group()
                                : step.group(1) + prefix + step.group(2)));
            }
            route.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        route.appendTail(out);
        return out.toString();
    }

    private static Set<String> routeConfigurationStepIds(Model model) {
        Set<String> ids = new HashSet<>();
        for (RouteConfigurationDefinition configuration : model.getRouteConfigurationDefinitions()) {
            Stream.of(configuration.getOnExceptions(), configuration.getIntercepts(), configuration.getInterceptFroms(),
                    configuration.getInterceptSendTos(), configuration.getOnCompletions())
                    .flatMap(List::stream).forEach(step -> addIds(step, ids));
        }
        return ids;
    }

    private static void addIds(ProcessorDefinition<?> step, Set<String> ids) {
        if (step.getId() != null) {
            ids.add(step.getId());
        }
        for (ProcessorDefinition<?> output : step.getOutputs()) {
            addIds(output, ids);
        }
    }
}
