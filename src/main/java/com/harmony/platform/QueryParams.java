package com.harmony.platform;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
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

    /**
     * A calendar date (YYYY-MM-DD), else the fallback when absent or blank. Years are held to 0001-9999: a date
     * such as -999999999-01-01 parses, but the period arithmetic after it would leave Java's range.
     */
    public static LocalDate dateOr(String name, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name, "must be a date (YYYY-MM-DD)");
        }
        if (date.getYear() < 1 || date.getYear() > 9999) {
            throw ProblemException.invalid(name, "must be a date between 0001-01-01 and 9999-12-31");
        }
        return date;
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
