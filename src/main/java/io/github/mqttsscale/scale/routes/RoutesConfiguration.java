package io.github.mqttsscale.scale.routes;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.util.TimeUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.github.mqttsscale.scale.operations.Operations;
import io.github.mqttsscale.scale.weighing.ScaleProperties;
import io.github.mqttsscale.scale.weighing.Scales;

/** The folder of route YAML files that Camel loads and watches. */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

    /** Before Camel loads the routes (after all singletons exist), make sure there are routes to load. */
    @Bean
    RoutesFolder routesFolder(ScaleProperties scale, Environment environment) {
        requireCamelReadsAlike(environment, "scale.sample-interval", scale.sampleInterval());
        return new RoutesFolder(scale.routesDir());
    }

    /** Each scale's routes, made once Camel has loaded the route templates, and anew after an edit. */
    @Bean
    ScaleRoutes scaleRoutes(Scales scales, Operations operations, ListableBeanFactory beans, CamelContext camel) {
        return new ScaleRoutes(scales, operations, beans, camel);
    }

    @Bean
    CamelContextConfiguration scaleRoutesMade(ScaleRoutes routes) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                routes.bindBeans();
                camel.getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(routes);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                routes.addMissing();
            }
        };
    }

    /**
     * The route hands durations to Camel as written, and Camel reads "PT1S" as 0 ms (it knows 500ms,
     * 2s, 1m30s): refuse a form the two would read differently rather than poll without pause.
     */
    private static void requireCamelReadsAlike(Environment environment, String property, Duration bound) {
        String written = environment.getProperty(property);
        if (written != null && TimeUtils.toMilliSeconds(written) != bound.toMillis()) {
            throw new IllegalStateException(property + "=" + written + " cannot be used in the route: write it as "
                    + bound.toMillis() + "ms (or e.g. 500ms, 2s, 1m)");
        }
    }
}
