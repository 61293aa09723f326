package com.harmony.platform;

import java.util.Arrays;

/**
 * Parses query parameters by hand so a bad value is a 400 naming the parameter (JAX-RS would
 * answer 404 for an unconvertible query value).
 */
public final class QueryParams {

    private QueryParams() {
    }

    public static Long optionalLong(String name, String value, long min, long max) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) {
                throw ProblemException.invalid(name, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name, "must be a whole number");
        }
    }

    public static int intOr(String name, String value, int fallback, int min, int max) {
        Long n = optionalLong(name, value, min, max);
        return n == null ? fallback : n.intValue();
    }

    public static Boolean optionalBoolean(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.invalid(name, "must be true or false");
        };
    }

    public static <E extends Enum<E>> E optionalEnum(String name, String value, Class<E> type) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(name, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** A UUID filter: null when absent or blank, a 400 naming the parameter when it is not a UUID. */
    public static java.util.UUID optionalUuid(String name, String value) {
        String v = optionalText(name, value, 64);
        try {
            return v == null ? null : java.util.UUID.fromString(v.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(name, "must be a UUID");
        }
    }

    public static String optionalText(String name, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > maxLength) {
            throw ProblemException.invalid(name, "must be at most " + maxLength + " characters");
        }
        return value;
    }
}
