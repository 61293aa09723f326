package com.harmony.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.Temporal;

/**
 * Request bodies mean what they say, or are refused (400) before anything is stored. Jackson's defaults
 * would read {"analytics": 3} as true (a consent given by accident of coercion is no consent), a stock
 * delta of 1.5 as 1, "-5" as -5, 42 as the name "42", 42 as a date in 1970, 3 as the fourth order status, and would take the last of
 * two values for one field or ignore whatever follows the object. Text is refused when it holds a control
 * character other than tab and line breaks (a terminal escape in a name reaches staff tools and logs) or half of a
 * UTF-16 surrogate pair, which no UTF-8 column can store: PostgreSQL's client would write it as "?", so the
 * answer would show one value and the database keep another.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Last, after Quarkus has registered java.time's module, whose readers these replace. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        // one value per field: without it, a repeated field of a record failed as a bare 500 inside Jackson
        mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        // valid UTF-8 only: Jackson's decoder would take overlong forms
        mapper.getFactory().setInputDecorator(new StrictUtf8());
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // an enum by its name only: 3 or "3" would be the fourth constant (an order status, a resolution)
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        refuse(mapper, LogicalType.Enum, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.String,
                CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Float, CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.DateTime, CoercionInputShape.Integer, CoercionInputShape.Float);
        mapper.registerModule(new SimpleModule("harmony-text").addDeserializer(String.class, new Text())
                .addKeyDeserializer(String.class, new Key())
                // the coercion rule above does not reach java.time's own readers, which take 42 as 1970 and a year
                // beyond 9999 (or before 1) that PostgreSQL would store as something else or not at all
                .addDeserializer(OffsetDateTime.class, new Rfc3339<>(OffsetDateTime.class, InstantDeserializer.OFFSET_DATE_TIME))
                .addDeserializer(LocalDate.class, new Rfc3339<>(LocalDate.class, LocalDateDeserializer.INSTANCE)));
    }

    /** A date or timestamp is an RFC 3339 string with a four-digit year (0001 to 9999), read as java.time reads it; a 400 otherwise. */
    static final class Rfc3339<T extends Temporal> extends StdScalarDeserializer<T> {

        private static final java.util.regex.Pattern FOUR_DIGIT_YEAR = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

        private final transient JsonDeserializer<T> standard;

        Rfc3339(Class<T> type, JsonDeserializer<T> standard) {
            super(type);
            this.standard = standard;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (T) ctxt.handleUnexpectedToken(handledType(), p);
            }
            String text = p.getText();
            if (!FOUR_DIGIT_YEAR.matcher(text).lookingAt()) {
                // java.time's reader would take "123" as seconds since 1970, "+10000-…" as a year PostgreSQL cannot keep
                return (T) ctxt.handleWeirdStringValue(handledType(), text, "is not an RFC 3339 date with a four-digit year");
            }
            if (handledType() == LocalDate.class && text.length() != 10) {
                // Jackson's reader cuts a timestamp to its day ("2000-01-01T23:00:00Z"), a guess at which day was meant
                return (T) ctxt.handleWeirdStringValue(handledType(), text, "is not an RFC 3339 full-date (YYYY-MM-DD)");
            }
            T value = standard.deserialize(p, ctxt);
            // in UTC, as it is stored: 9999-12-31T23:59:59-14:00 is in the year 10000 there
            int year = value instanceof OffsetDateTime t ? t.toInstant().atOffset(java.time.ZoneOffset.UTC).getYear()
                    : value == null ? 1 : value.get(ChronoField.YEAR);
            return year >= 1 && year <= 9999 ? value
                    : (T) ctxt.handleWeirdStringValue(handledType(), text, "is outside the years 0001 to 9999 (in UTC)");
        }
    }

    /** The same check for the keys of objects read as maps (options, attributes, answers): they are stored and shown too. */
    static final class Key extends com.fasterxml.jackson.databind.KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            String flaw = flaw(key);
            return flaw == null ? key : ctxt.handleWeirdKey(String.class, key, "a key " + flaw);
        }
    }

    /** Jackson's own reading of a string, then the check; a flaw is a 400 naming the field. */
    static final class Text extends StdScalarDeserializer<String> {

        Text() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            String flaw = value == null ? null : flaw(value);
            return flaw == null ? value : (String) ctxt.handleWeirdStringValue(String.class, value, flaw);
        }
    }

    /** What is wrong with the text, or null. */
    static String flaw(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7f && c <= 0x9f) {
                return "holds a control character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "holds half of a UTF-16 surrogate pair, which is not a character";
            }
        }
        return null;
    }

    /** Values of these JSON shapes are not read as the type at all: a 400, never a guess. */
    private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
