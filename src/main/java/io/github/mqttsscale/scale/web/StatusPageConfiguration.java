package io.github.mqttsscale.scale.web;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.mqttsscale.scale.monitoring.ScaleActivity;
import io.github.mqttsscale.scale.weighing.Scales;

/** The status page's weight history, kept from the start so that the first visit has a plot. */
@Configuration(proxyBeanMethods = false)
public class StatusPageConfiguration {

    @Bean
    WeightHistories weightHistories(Scales scales, StatusPageProperties statusPage, ScaleActivity activity) {
        WeightHistories histories = new WeightHistories(scales, statusPage, Clock.systemUTC());
        activity.watchReadings(histories::add);
        return histories;
    }
}
