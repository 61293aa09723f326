package com.harmony.privacy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.platform.DataMap.Column;
import com.harmony.platform.DataMap.Retention;
import com.harmony.platform.DataMap.Table;
import com.harmony.platform.DataMap;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The public data map (P1, P28): what personal data the service keeps, grouped by feature, from the
 * same data map export and erasure read, so the two cannot say different things. Built once at
 * start: the map is part of the build.
 */
@ApplicationScoped
@Startup
public class PublicDataMap {

    /** Kinds of data in the order a reader meets them; credentials and references last. */
    private static final List<String> KINDS = List.of("identity", "contact", "payment", "network", "behaviour", "credential", "subject");

    /** Column-name words that read badly on their own. */
    private static final Map<String, String> WORDS = Map.ofEntries(Map.entry("ship", "shipping"), Map.entry("ip", "IP address"),
            Map.entry("line1", "address line 1"), Map.entry("line2", "address line 2"), Map.entry("exp", "expiry"),
            Map.entry("last4", "last four digits"), Map.entry("minor", "amount"), Map.entry("ms", "(ms)"), Map.entry("os", "operating system"),
            Map.entry("bp", "(basis points)"), Map.entry("sku", "SKU"), Map.entry("hash", "(digest)"));

    @Schema(name = "PublicDataMap", description = "What personal data is kept, why, from whom, who receives it and for how long")
    public record MapView(String description, List<FeatureView> features, Glossary glossary) {
    }

    @Schema(name = "DataMapFeature", description = "The records one part of the service keeps")
    public record FeatureView(@Schema(examples = "order") String feature, @Schema(examples = "Orders, returns and refunds") String title,
            List<RecordView> records) {
    }

    @Schema(name = "DataMapRecord", description = "One kind of record: what it holds about whom, why, who receives it, how long it is kept",
            requiredProperties = {"record", "table", "from_whom", "collected", "purpose", "source", "legal_basis", "recipients", "retention",
                    "on_erasure"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecordView(@Schema(examples = "Orders") String record, @Schema(examples = "orders") String table,
            @Schema(description = "Whose data it is, each one of customer, affiliate, visitor, guest_buyer, entrant, caller, complainant, "
                    + "staff (see glossary.subjects)") List<String> fromWhom,
            @Schema(description = "The personal data it holds, by kind (see glossary.kinds_of_data)") List<DataKindView> collected,
            String purpose,
            @Schema(description = "Where it comes from, each one of you, your_device, our_staff, our_service, payment_provider, affiliates, "
                    + "partners (see glossary.sources)") List<String> source,
            @Schema(description = "Each one of contract, consent, legitimate_interest, legal_obligation (see glossary.legal_bases)")
            List<String> legalBasis,
            @Schema(description = "Processors and partners that receive it (see glossary.recipients); empty when nobody does") List<String> recipients,
            RetentionView retention,
            @Schema(description = "What erasure does (see glossary.erasure)", enumeration = {"delete_row", "clear", "pseudonymise", "keep_anonymised"})
            String onErasure,
            @Schema(description = "Why a record is kept or pseudonymised instead of deleted") String erasureNote) {
    }

    @Schema(name = "DataMapDataKind")
    public record DataKindView(@Schema(enumeration = {"identity", "contact", "payment", "network", "behaviour", "credential", "subject"}) String kind,
            String description, List<FieldView> fields) {
    }

    @Schema(name = "DataMapField", description = "Absent properties do not apply to the field", requiredProperties = {"name", "label"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldView(@Schema(examples = "ship_postal_code") String name, @Schema(examples = "Shipping postal code") String label,
            @Schema(description = "For JSON and free text: every kind of data a value may hold") List<String> mayContain,
            @Schema(description = "When this field is removed before the record") RetentionView retention,
            String note) {
    }

    @Schema(name = "DataMapRetention", description = "Absent properties do not apply", requiredProperties = {"period"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RetentionView(
            @Schema(description = "An ISO-8601 duration, or until_erasure: kept while the account (or visitor) exists", examples = "P90D") String period,
            @Schema(description = "The event the period counts from", examples = "order_placed") String from,
            String rule,
            @Schema(description = "Whether a scheduled purge applies the rule today; false: the intended rule, not automated yet") Boolean enforced) {
    }

    @Schema(name = "DataMapGlossary", description = "What the values used above mean")
    public record Glossary(Map<String, String> kindsOfData, Map<String, String> subjects, Map<String, String> legalBases,
            Map<String, String> recipients, Map<String, String> erasure, Map<String, String> sources) {
    }

    private final String body;

    PublicDataMap(ObjectMapper json) {
        try {
            this.body = json.writeValueAsString(view(DataMap.load()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public data map as JSON (the same bytes every time, so its ETag is stable). */
    public String json() {
        return body;
    }

    static MapView view(DataMap map) {
        DataMap.Vocabulary words = map.vocabulary();
        Map<String, List<RecordView>> byFeature = new LinkedHashMap<>();
        words.features().keySet().forEach(f -> byFeature.put(f, new ArrayList<>()));
        for (Table t : map.definitions().values()) {
            if (t.personal()) {
                byFeature.computeIfAbsent(t.feature(), f -> new ArrayList<>()).add(record(t, words));
            }
        }
        List<FeatureView> features = new ArrayList<>();
        byFeature.forEach((feature, records) -> {
            if (!records.isEmpty()) features.add(new FeatureView(feature, words.features().getOrDefault(feature, feature), List.copyOf(records)));
        });
        Map<String, String> kinds = new LinkedHashMap<>(words.classes());
        kinds.remove("none");
        Map<String, String> subjects = new LinkedHashMap<>(words.subjects());
        subjects.remove("none");
        Map<String, String> erasure = new LinkedHashMap<>(words.eraseActions());
        erasure.remove("none");
        return new MapView("The personal data this service keeps, grouped by the part of the service that keeps it: what is collected, "
                + "why and on which legal basis, from whom, who receives it and how long it is kept. Generated from the same data map that "
                + "exports and erasure read.", List.copyOf(features), new Glossary(kinds, subjects, words.legalBases(), words.recipients(), erasure,
                words.sources()));
    }

    static RecordView record(Table t, DataMap.Vocabulary words) {
        Map<String, List<FieldView>> byKind = new LinkedHashMap<>();
        KINDS.forEach(k -> byKind.put(k, new ArrayList<>()));
        for (Column c : t.columns().values()) {
            if (!c.personal()) continue;
            String kind = "none".equals(c.dataClass()) ? c.contains().stream().filter(x -> !"none".equals(x)).findFirst().orElseThrow() : c.dataClass();
            Retention early = t.retention().columns().get(c.name());
            byKind.get(kind).add(new FieldView(c.name(), label(c), c.contains() == null || c.contains().isEmpty() ? null : c.contains(),
                    early == null ? null : retention(early), c.note()));
        }
        List<DataKindView> collected = new ArrayList<>();
        byKind.forEach((kind, fields) -> {
            if (!fields.isEmpty()) collected.add(new DataKindView(kind, words.classes().get(kind), List.copyOf(fields)));
        });
        return new RecordView(t.label(), t.name(), t.subjects().stream().map(DataMap.Subject::wire).toList(), List.copyOf(collected), t.purpose(),
                t.sources(), t.legalBasis().stream().map(DataMap.LegalBasis::wire).toList(), t.recipients(), retention(t.retention()), t.erase().wire(),
                t.eraseReason());
    }

    private static RetentionView retention(Retention r) {
        return new RetentionView(r.period(), r.from(), r.rule(), r.enforced());
    }

    /** The map's label, else the column's name in words: ship_postal_code is "Shipping postal code". */
    static String label(Column c) {
        if (c.label() != null) {
            return c.label();
        }
        List<String> words = new ArrayList<>();
        for (String w : c.name().split("_")) {
            if (!(w.equals("minor") && words.contains("amount"))) {
                words.add(WORDS.getOrDefault(w, w));
            }
        }
        String text = String.join(" ", words);
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
