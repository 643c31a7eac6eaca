package io.github.mqttsscale.scale.weighing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import io.github.mqttsscale.hx711.Hx711InvalidOptionException;

/**
 * HX711 settings the chip can be read with: the hx711 component's own check ({@code Hx711Settings}), reported on the
 * setting it names, so that what the chip accepts is written in one place.
 */
@Documented
@Constraint(validatedBy = ReadableChip.Check.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface ReadableChip {

    String message() default "the HX711 cannot be read with these settings";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Asks the component whether it can read a chip with these options. */
    class Check implements ConstraintValidator<ReadableChip, Hx711Options> {

        @Override
        public boolean isValid(Hx711Options options, ConstraintValidatorContext context) {
            try {
                options.driverSettings();
                return true;
            } catch (Hx711InvalidOptionException invalid) {
                context.disableDefaultConstraintViolation();
                // the message is the component's text, not a template: braces and dollars in it are literal
                context.buildConstraintViolationWithTemplate(invalid.getMessage().replaceAll("([{}$\\\\])", "\\\\$1"))
                        .addPropertyNode(settingName(invalid.option())).addConstraintViolation();
                return false;
            }
        }

        /** The setting as it is written: the option dataPin is the setting data-pin. */
        private static String settingName(String option) {
            return option.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        }
    }
}
