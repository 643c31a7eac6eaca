package io.github.mqttsscale.scale.web;

import java.time.Clock;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.mqttsscale.scale.weighing.Scales;

/** The status page's weight history, kept from the start so that the first visit has a plot. */
@Configuration(proxyBeanMethods = false)
public class StatusPageConfiguration {

    @Bean
    WeightHistories weightHistories(Scales scales, StatusPageProperties statusPage) {
        return new WeightHistories(scales, statusPage, Clock.systemUTC());
    }

    /** Camel decides at start whether exchanges raise events at all: the notifier must be there before. */
    @Bean
    CamelContextConfiguration weightHistoriesNotifier(WeightHistories histories) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getManagementStrategy().addEventNotifier(histories);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing
            }
        };
    }
}
