package com.harmony.platform;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Free text that must not carry a card number (P8): a run of 13 to 19 digits, spaces or dashes between them
 * allowed, that passes the Luhn check. Card details go to the payment provider's own form; a number typed
 * into an address line would otherwise be stored with the address.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = NoCardNumber.Check.class)
public @interface NoCardNumber {

    String message() default "must not hold a card number: card details go to the payment provider's form (P8)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The shortest run that counts: 13 (the shortest card number), or 16 where longer runs are normal (a phone number). */
    int minDigits() default 13;

    final class Check implements ConstraintValidator<NoCardNumber, String> {

        private Pattern run;
        private int minDigits;

        @Override
        public void initialize(NoCardNumber constraint) {
            minDigits = constraint.minDigits();
            run = runs(minDigits);
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || !holdsCardNumber(run, minDigits, value);
        }

        /** Whether the text holds a card number as the constraint with this shortest run sees it (for checks outside a request body). */
        public static boolean holdsCardNumber(String text, int minDigits) {
            return text != null && holdsCardNumber(runs(minDigits), minDigits, text);
        }

        /** Runs of at least this many digits, single spaces, dots, slashes or dashes between them. */
        private static Pattern runs(int minDigits) {
            return Pattern.compile("\\d(?:[ ./-]?\\d){" + (minDigits - 1) + ",}");
        }

        /**
         * Whether a run of digits, or a stretch of its whole groups (a card number after a country code or a house
         * number: "+44 4111 1111 1111 1111"), of the shortest length to 19 digits passes Luhn. In a phone number (shortest
         * run 16) more than 15 digits in all is refused outright: E.164 numbers have at most 15, and a prefix glued to a
         * card number ("+14111111111111111") leaves no group to find it by.
         */
        static boolean holdsCardNumber(Pattern run, int minDigits, String text) {
            if (minDigits >= 16 && text.chars().filter(Character::isDigit).count() > 15) {
                return true;
            }
            Matcher m = run.matcher(text);
            while (m.find()) {
                String[] groups = m.group().split("[ ./-]");
                for (int i = 0; i < groups.length; i++) {
                    StringBuilder digits = new StringBuilder();
                    for (int j = i; j < groups.length && digits.length() + groups[j].length() <= 19; j++) {
                        digits.append(groups[j]);
                        if (digits.length() >= minDigits && luhn(digits.toString())) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private static boolean luhn(String digits) {
            int sum = 0;
            boolean twice = false;
            for (int i = digits.length() - 1; i >= 0; i--) {
                int d = digits.charAt(i) - '0';
                if (twice) {
                    d *= 2;
                    if (d > 9) {
                        d -= 9;
                    }
                }
                sum += d;
                twice = !twice;
            }
            return sum % 10 == 0;
        }
    }
}
