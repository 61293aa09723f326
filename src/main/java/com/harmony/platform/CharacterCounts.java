package com.harmony.platform;

import io.quarkus.hibernate.validator.ValidatorFactoryCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.BaseHibernateValidatorConfiguration;
import org.hibernate.validator.cfg.ConstraintMapping;

/**
 * {@code @Size} on text counts characters, as the spec's {@code maxLength} (JSON Schema counts code points) and the
 * {@code varchar(n)} columns do. Bean Validation counts UTF-16 units, so a title of 101 emoji (202 units) was refused
 * under a limit of 200 that a client generated from the spec had let through. Collections keep the built-in count.
 */
@ApplicationScoped
public class CharacterCounts implements ValidatorFactoryCustomizer {

    @Override
    public void customize(BaseHibernateValidatorConfiguration<?> configuration) {
        ConstraintMapping mapping = configuration.createConstraintMapping();
        // String is more specific than the built-in CharSequence validator, so it is chosen for String values
        mapping.constraintDefinition(Size.class).includeExistingValidators(true).validatedBy(OfString.class);
        configuration.addMapping(mapping);
    }

    /** The length of a String in characters (code points). */
    public static final class OfString implements ConstraintValidator<Size, String> {

        private int min;
        private int max;

        @Override
        public void initialize(Size size) {
            min = size.min();
            max = size.max();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            int characters = value.codePointCount(0, value.length());
            return characters >= min && characters <= max;
        }
    }
}
