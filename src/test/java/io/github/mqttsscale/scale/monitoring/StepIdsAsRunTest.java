package io.github.mqttsscale.scale.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

/** The ids Hawtio's diagram gets from the XML dump are those the running steps, and their statistics, have. */
class StepIdsAsRunTest {

    @Test
    void aRouteFromATemplateHasItsStepsPrefixedAndThoseOfItsRouteConfigurationAsWritten() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteConfigurationBuilder() {
                @Override
                public void configuration() {
                    routeConfiguration("away").onException(IllegalStateException.class).id("when-away").handled(true)
                            .log("away").id("say-away");
                }
            });
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    routeTemplate("weigh").templateParameter("name").from("direct:{{name}}").id("read")
                            .routeConfigurationId("away").log("weighed").id("say-weighed");
                }
            });
            camel.start();
            TemplatedRouteBuilder.builder(camel, "weigh").routeId("weigh-keg-1").prefixId("keg-1-")
                    .parameter("name", "keg-1").add();

            Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
            String dump = StepIdsAsRun.asRun(camel, PluginHelper.getModelToXMLDumper(camel).dumpModelAsXml(camel,
                    model.getRouteDefinition("weigh-keg-1")));

            ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
            assertThat(managed.getManagedProcessor("keg-1-say-weighed")).as("the template's step, as it runs")
                    .isNotNull();
            assertThat(managed.getManagedProcessor("say-away")).as("the route configuration's step, as it runs")
                    .isNotNull();
            assertThat(dump).contains("id=\"keg-1-say-weighed\"", "id=\"when-away\"", "id=\"say-away\"")
                    .doesNotContain("keg-1-say-away", "keg-1-when-away");
        }
    }
}
