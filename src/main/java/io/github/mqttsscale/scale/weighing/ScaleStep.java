package io.github.mqttsscale.scale.weighing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * A bean of a step of each scale's routes: one is made for every scale, with that {@link Scale} as the one argument
 * of its public constructor (its settings are {@code scale.settings()}), and the route YAML finds it as
 * {@code ref: "{{deviceId}}-<name>"}. A new step is this class and a step in the YAML; nothing else is wired. (A
 * prototype component: Spring finds the class, the scale's routes make one per scale.)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public @interface ScaleStep {

    /** The name after the device id, e.g. {@code division} for {@code ref: "{{deviceId}}-division"}. */
    @AliasFor(annotation = Component.class)
    String value();
}
