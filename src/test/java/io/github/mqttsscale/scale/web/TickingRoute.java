package io.github.mqttsscale.scale.web;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** A route that ticks five times a second, for the tests that look at routes through Jolokia: {@code @Import} it. */
@TestConfiguration
class TickingRoute {

    static final String ROUTE_ID = "ticking-test-route";

    @Bean
    RouteBuilder tickingRoute() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:ticking-test?period=200").routeId(ROUTE_ID).setBody(constant("tick"));
            }
        };
    }
}
