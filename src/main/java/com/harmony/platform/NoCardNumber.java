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

        @Override
        public void initialize(NoCardNumber constraint) {
            run = Pattern.compile("\\d(?:[ -]?\\d){" + (constraint.minDigits() - 1) + ",18}");
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || !holdsCardNumber(run, value);
        }

        /** Whether the text holds a card number as the constraint with this shortest run sees it (for checks outside a request body). */
        public static boolean holdsCardNumber(String text, int minDigits) {
            return text != null && holdsCardNumber(Pattern.compile("\\d(?:[ -]?\\d){" + (minDigits - 1) + ",18}"), text);
        }

        /** Whether a run of digits the pattern takes (single spaces or dashes between them) passes Luhn. */
        static boolean holdsCardNumber(Pattern run, String text) {
            Matcher m = run.matcher(text);
            while (m.find()) {
                if (!touchesDigit(text, m.start() - 1) && !touchesDigit(text, m.end()) && luhn(m.group().replaceAll("[ -]", ""))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean touchesDigit(String text, int at) {
            return at >= 0 && at < text.length() && Character.isDigit(text.charAt(at));
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
