package io.github.mqttsscale.scale.web;

import java.util.List;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * The scale's job is to weigh: the framework's web layer (Spring MVC's handler mappings and message converters,
 * Actuator's web endpoints, Hawtio's and Jolokia's beans, the security filter chain) is made when the first HTTP
 * request comes, not before the weighing route starts. {@code spring.main.lazy-initialization} (application.yaml)
 * makes beans lazy; this filter keeps every other bean eager: the scale's own, Camel, metrics, JMX. So a bad setting
 * still stops the scale at start, and the MBeans Hawtio shows are there before anyone logs in. Tomcat, its port and
 * the filters it is given (the security filter chain's proxy among them) still start with the scale, so no request
 * gets past the login while the web layer is being made.
 */
@Configuration(proxyBeanMethods = false)
class WebLayerOnFirstRequest {

    /** Beans of these packages wait for the first request; the JMX and metrics parts of Actuator do not. */
    private static final List<String> WEB_LAYER = List.of("org.springframework.web.", "org.springframework.http.",
            "org.springframework.security.", "org.springframework.boot.autoconfigure.web.servlet.",
            "org.springframework.boot.autoconfigure.security.", "org.springframework.boot.actuate.endpoint.web.",
            "org.springframework.boot.actuate.autoconfigure.endpoint.web.",
            "org.springframework.boot.actuate.autoconfigure.web.", "io.hawt.", "org.jolokia.");

    /** The web user is made at start all the same: that writes the generated password's file and logs where it is. */
    @Bean
    static LazyInitializationExcludeFilter onlyTheWebLayerWaitsForARequest() {
        return (beanName, definition, type) -> UserDetailsService.class.isAssignableFrom(type)
                || WEB_LAYER.stream().noneMatch(type.getName()::startsWith);
    }
}
