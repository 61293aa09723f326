package com.harmony.platform;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A feature's part in privacy requests and retention (P13, P28, P29). Every feature whose tables hold
 * someone's data implements it for exactly those tables; the privacy feature orchestrates and never
 * names another feature's tables. Each method works on the connection and transaction it is given,
 * so an erasure across every feature commits or rolls back as one.
 */
public interface PersonalData {

    /** The owning feature, as in the data map. */
    String feature();

    /** The tables of this feature that hold someone's data; PersonalDataCoverageTest checks the map agrees. */
    List<String> tables();

    /** Lower runs first: rows that reference another feature's rows are erased before those rows go. */
    default int order() {
        return 100;
    }

    /** How many rows of each table are the person's (the access summary). */
    default Uni<Map<String, Long>> find(SqlConnection conn, Person person) {
        return find(conn, List.of(person));
    }

    /**
     * How many rows of each table belong to any of the people a request covers (an account and the
     * browsers linked to it), each row counted once though a row may lead to several of them.
     */
    default Uni<Map<String, Long>> find(SqlConnection conn, List<Person> people) {
        return MappedRows.count(conn, tables(), people);
    }

    /**
     * The person's rows, table by table, each one JSON object of every mapped column except
     * credentials. Streams through a cursor, so the connection must be in a transaction.
     */
    default Multi<Exported> export(SqlConnection conn, Person person) {
        return export(conn, List.of(person));
    }

    /** The same for every person a request covers, table by table. */
    default Multi<Exported> export(SqlConnection conn, List<Person> people) {
        return Multi.createFrom().iterable(tables()).onItem().transformToMultiAndConcatenate(table -> export(conn, people, table));
    }

    /**
     * The rows of one of {@link #tables()} that belong to any of the people, each row once: the export
     * asks table by table, so a table is one key of the document whichever of them its rows lead to.
     */
    default Multi<Exported> export(SqlConnection conn, List<Person> people, String table) {
        return MappedRows.stream(conn, table, people).map(json -> new Exported(table, json));
    }

    /** Why erasure must wait (an order still in progress); empty when nothing stops it. */
    default Uni<List<String>> holds(SqlConnection conn, Person person) {
        return Uni.createFrom().item(List.of());
    }

    /**
     * The keys each outside recipient (a data map recipient: payment_provider, carrier, …) knows the
     * person by, read before erasure so the recipient can be told what to erase: the provider's
     * payment references, the order numbers a carrier shipped. None of them may be personal data.
     */
    default Uni<Map<String, List<String>>> references(SqlConnection conn, Person person) {
        return Uni.createFrom().item(Map.of());
    }

    /** Deletes, clears or pseudonymises the person's data in this feature's tables, as the data map's erase action says. */
    Uni<List<Erased>> erase(SqlConnection conn, Person person);

    /** Applies this feature's retention rules to everyone. Safe to run twice and on several instances at once. */
    default Uni<List<Purged>> purge(SqlConnection conn) {
        return Uni.createFrom().item(List.of());
    }

    /**
     * The feature's records staff read one at a time under {@code /v1/admin/<collection>/{id}} that belong to someone:
     * the collection, and a query for the owning account's id with the record's id as {@code %s} (an expression the
     * audit supplies). A read is then audited with whose data it was (P24).
     */
    default Map<String, String> recordOwners() {
        return Map.of();
    }

    /** The corrections this feature can apply (field names as a requester writes them). */
    default List<String> correctable() {
        return List.of();
    }

    /**
     * Why a proposed correction of one of {@link #correctable()}'s fields could never be applied (a malformed value, a
     * card number), or null when it could: asked when the request is filed, so nothing unusable is stored with it.
     */
    default String invalidCorrection(String field, String value) {
        return null;
    }

    /** Applies verified corrections of fields in {@link #correctable()}; answers the fields changed. */
    default Uni<List<String>> rectify(SqlConnection conn, Person person, Map<String, String> corrections) {
        return Uni.createFrom().item(List.of());
    }

    /**
     * Whose data is asked for. A customer (affiliate included) is reached by the account id, a visitor
     * by the visitor id, a guest buyer by the email on their orders placed by the account of the order they proved. The pseudonym replaces the
     * person's references in records kept for a legal reason: random, stored nowhere else, so it leads
     * back to nobody, yet keeps one person's kept records together.
     */
    record Person(DataMap.Subject kind, UUID accountId, UUID visitorId, String email, UUID pseudonym, UUID provenAccount) {

        public Person(DataMap.Subject kind, UUID accountId, UUID visitorId, String email, UUID pseudonym) {
            this(kind, accountId, visitorId, email, pseudonym, null);
        }

        public static Person customer(UUID accountId, UUID pseudonym) {
            return new Person(DataMap.Subject.CUSTOMER, accountId, null, null, pseudonym);
        }

        public static Person visitor(UUID visitorId, UUID pseudonym) {
            return new Person(DataMap.Subject.VISITOR, null, visitorId, null, pseudonym);
        }

        /**
         * The buyer who proved an order with its email: reached by that email on the rows of no account and on those of
         * {@code provenAccount}, the account that placed the proven order (null when that order is gone). Another account's
         * orders under the same email are that account holder's, whoever typed the address.
         */
        public static Person guestBuyer(String email, UUID provenAccount, UUID pseudonym) {
            return new Person(DataMap.Subject.GUEST_BUYER, null, null, email, pseudonym, provenAccount);
        }

        /** Whoever entered a contest or answered a survey with this email, from any browser or none. */
        public static Person entrant(String email, UUID pseudonym) {
            return new Person(DataMap.Subject.ENTRANT, null, null, email, pseudonym);
        }

        /** The pseudonym as an email address that can never be delivered (RFC 2606 reserves .invalid). */
        public String pseudonymEmail() {
            return "erased-" + pseudonym + "@erased.invalid";
        }
    }

    /** One row of an export: its table and the row as JSON text. */
    record Exported(String table, String json) {
    }

    /**
     * What erasure did to one table: {@code action} is deleted, cleared, pseudonymised or kept
     * (kept records have their identity removed and name the rule and the date until which they stay).
     */
    record Erased(String table, String action, long rows, List<String> columns, String rule, OffsetDateTime keptUntil) {

        public static Erased deleted(String table, long rows) {
            return new Erased(table, "deleted", rows, List.of(), null, null);
        }

        public static Erased cleared(String table, long rows, List<String> columns) {
            return new Erased(table, "cleared", rows, columns, null, null);
        }

        public static Erased pseudonymised(String table, long rows, List<String> columns) {
            return new Erased(table, "pseudonymised", rows, columns, null, null);
        }

        public static Erased kept(String table, long rows, List<String> erasedColumns, String rule, OffsetDateTime until) {
            return new Erased(table, "kept", rows, erasedColumns, rule, until);
        }
    }

    /** One retention rule's run: the table, the rule and how many rows it deleted or anonymised. */
    record Purged(String table, String rule, long rows) {
    }
}
