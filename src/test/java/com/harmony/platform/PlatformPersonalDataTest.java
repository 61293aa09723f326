package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import com.harmony.order.OrderFixtures;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Exported;
import com.harmony.platform.PersonalData.Person;
import com.harmony.platform.PersonalData.Purged;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Stored answers, outbox events, throttles and the audit log in access, erasure and retention (P24, P28). */
@QuarkusTest
class PlatformPersonalDataTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> ADDRESS = List.of("Ada Lovelace", "12 Analytical Way", "Springfield", "62701", "+1 217 555 0100");

    @Inject
    Pool pool;

    @Inject
    OutboxWorker outbox;

    @Inject
    PlatformPersonalData platform;

    @Test
    void erasureDeletesStoredAnswersAndPublishedEvents_scrubsPendingOnes_andPseudonymisesTheAuditTrail_P28() {
        SignedIn ada = AuthFixtures.customer();
        String first = order(ada, ada.email()).path("id");
        drain();
        String second = order(ada, ada.email()).path("id"); // its events stay pending
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/accounts/" + ada.accountId()).then().statusCode(200);
        SignedIn bob = AuthFixtures.customer();
        String bobs = order(bob, bob.email()).path("id");
        UUID adaId = UUID.fromString(ada.accountId());
        UUID[] adaOrders = {UUID.fromString(first), UUID.fromString(second)};
        assertTrue(count("select count(*) from outbox where aggregate_id = any($1) and status = 'published'", (Object) adaOrders) > 0);
        assertTrue(count("select count(*) from outbox where aggregate_id = any($1) and status = 'pending' and payload ? 'ship_to'",
                (Object) adaOrders) > 0, "the pending fulfilment request holds the address");
        UUID pseudonym = UUID.randomUUID();
        Person person = Person.customer(adaId, pseudonym);

        Map<String, Long> found = tx(conn -> platform.find(conn, person));
        assertEquals(2L, found.get("idempotency_key"), found.toString());
        assertTrue(found.get("outbox") > 0 && found.get("audit_log") > 0, found.toString());
        assertEquals(0L, found.get("rate_limit"), "throttle keys are digests: nobody is found in them");
        List<Exported> exported = tx(conn -> platform.export(conn, person).collect().asList());
        assertEquals(found.entrySet().stream().filter(e -> e.getValue() > 0).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                exported.stream().collect(Collectors.groupingBy(Exported::table, Collectors.counting())));

        List<Erased> erased = tx(conn -> platform.erase(conn, person));
        Map<String, Erased> byTable = erased.stream().collect(Collectors.toMap(Erased::table, e -> e));
        assertEquals(2, byTable.get("idempotency_key").rows());
        assertEquals("kept", byTable.get("audit_log").action());
        assertTrue(byTable.get("audit_log").rows() >= 1);
        assertNotNull(byTable.get("audit_log").keptUntil());

        assertEquals(0, count("select count(*) from idempotency_key where scope = $1", "account:" + adaId));
        assertEquals(1, count("select count(*) from idempotency_key where scope = $1", "account:" + bob.accountId()), "bob's answer stays");
        assertEquals(0, count("select count(*) from outbox where aggregate_id = any($1) and status = 'published'", (Object) adaOrders),
                "published events went");
        List<String> pending = texts("select payload::text from outbox where aggregate_id = any($1) or payload->>'account_id' = $2",
                adaOrders, adaId.toString());
        assertFalse(pending.isEmpty(), "pending events stay, to reach their processor");
        for (String payload : pending) {
            for (String trace : concat(ADDRESS, ada.email(), ada.accountId())) {
                assertFalse(payload.contains(trace), trace + " left in " + payload);
            }
        }
        assertTrue(pending.stream().anyMatch(p -> p.contains(pseudonym.toString())), "the account id became the pseudonym: " + pending);
        assertTrue(pending.stream().anyMatch(p -> p.contains("\"ship_to\": {\"country\": \"US\"}")), "the address keeps its country: " + pending);
        assertTrue(texts("select payload::text from outbox where aggregate_id = $1 and payload ? 'ship_to'", UUID.fromString(bobs))
                .stream().allMatch(p -> p.contains("Analytical Way")), "bob's fulfilment request keeps his address");

        assertEquals(0, count("select count(*) from audit_log where subject_account_id = $1 or target_id like '%' || $2 || '%'", adaId,
                ada.accountId()));
        Row entry = row("select target_id, subject_erased_at from audit_log where subject_account_id = $1 and action = 'read'", pseudonym);
        assertEquals("/v1/admin/accounts/" + pseudonym, entry.getString("target_id"));
        assertNotNull(entry.getValue("subject_erased_at"));

        assertTrue(tx(conn -> platform.erase(conn, person)).stream().allMatch(e -> e.rows() == 0), "a second erasure finds nothing");
    }

    @Test
    void theAuditLogStaysAppendOnly_butForTheOnePseudonymisationPerEntry_P24() {
        SignedIn ada = AuthFixtures.customer();
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/accounts/" + ada.accountId()).then().statusCode(200);
        UUID adaId = UUID.fromString(ada.accountId());
        UUID other = UUID.randomUUID();
        assertThrows(Exception.class, () -> update("update audit_log set subject_account_id = $2, subject_erased_at = now() "
                + "where subject_account_id = $1", adaId, other), "the target must follow the subject");
        assertThrows(Exception.class, () -> update("update audit_log set action = 'nothing', subject_erased_at = now() where subject_account_id = $1",
                adaId), "nothing else may change");
        assertThrows(Exception.class, () -> update("update audit_log set subject_account_id = $2, target_id = replace(target_id, $1::text, $2::text) "
                + "where subject_account_id = $1", adaId, other), "not without marking the entry");

        Person person = Person.customer(adaId, UUID.randomUUID());
        tx(conn -> platform.erase(conn, person));
        assertThrows(Exception.class, () -> update("update audit_log set subject_account_id = $2, target_id = replace(target_id, $1::text, $2::text), "
                + "subject_erased_at = now() where subject_account_id = $1", person.pseudonym(), other), "an entry is pseudonymised once");
        assertThrows(Exception.class, () -> update("delete from audit_log where subject_account_id = $1", person.pseudonym()));
    }

    @Test
    void erasureOfACustomerDropsTheirUnsentMail_andNoOneElses_P28() {
        UUID ada = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        UUID adaMail = UUID.randomUUID();
        UUID bobMail = UUID.randomUUID();
        // not due for a day: the mail poll, or a round a registration starts, would drop these unopenable rows
        update("""
                insert into mail_queue (id, account_id, sealed, next_attempt_at)
                values ($1, $2, '\\x00', now() + interval '1 day'), ($3, $4, '\\x00', now() + interval '1 day')""", adaMail, ada, bobMail, bob);
        Erased erased = tx(conn -> platform.erase(conn, Person.customer(ada, UUID.randomUUID()))).stream()
                .filter(e -> e.table().equals("mail_queue")).findFirst().orElseThrow();
        assertEquals(1, erased.rows());
        assertEquals(0, count("select count(*) from mail_queue where id = $1", adaMail));
        assertEquals(1, count("select count(*) from mail_queue where id = $1", bobMail));
        update("delete from mail_queue where id = $1", bobMail);
    }

    @Test
    void erasureOfAGuestBuyerDeletesTheirReturnsAnswersAndAnyAnswerHoldingTheirEmail_P28() {
        SignedIn holder = AuthFixtures.customer();
        String buyerEmail = AuthFixtures.uniqueEmail();
        Response bought = order(holder, buyerEmail);
        order(holder, holder.email());
        deliver(bought.path("id"));
        given().header("Idempotency-Key", UUID.randomUUID().toString()).header("X-Forwarded-For", "192.0.2.55").contentType(ContentType.JSON)
                .body(Map.of("order_number", bought.path("number"), "email", buyerEmail, "postal_code", "62701", "reason", "too small",
                        "lines", List.of(Map.of("line_no", 1, "quantity", 1)), "resolution", "refund"))
                .post("/v1/returns").then().statusCode(201);
        assertEquals(1, count("select count(*) from idempotency_key where scope = $1", "order:" + bought.path("id")));
        Person person = Person.guestBuyer(buyerEmail.toUpperCase(Locale.ROOT), UUID.fromString(holder.accountId()), UUID.randomUUID());

        Erased keys = tx(conn -> platform.erase(conn, person)).stream().filter(e -> e.table().equals("idempotency_key")).findFirst().orElseThrow();
        assertEquals(2, keys.rows(), "the guest's return and the holder's checkout answer that held the guest's email");
        assertEquals(0, count("select count(*) from idempotency_key where scope = $1", "order:" + bought.path("id")));
        assertEquals(0, count("select count(*) from idempotency_key where strpos(lower(response_body), lower($1)) > 0", buyerEmail));
        assertEquals(1, count("select count(*) from idempotency_key where scope = $1", "account:" + holder.accountId()),
                "the holder's own order's answer stays");
        assertEquals(0, count("select count(*) from outbox where aggregate_id = $1 and payload::text like '%Analytical%'",
                UUID.fromString(bought.path("id"))), "the guest's order's events lost the address");
        assertTrue(tx(conn -> platform.erase(conn, person)).stream().allMatch(e -> e.rows() == 0));
    }

    @Test
    void theRetentionRunDeletesOldPublishedEventsExpiredAnswersOldThrottlesAndAuditEntriesOlderThanSevenYears_P28() {
        SignedIn ada = AuthFixtures.customer();
        String old = order(ada, ada.email()).path("id");
        drain();
        String fresh = order(ada, ada.email()).path("id");
        update("update outbox set published_at = now() - interval '8 days' where aggregate_id = $1 and status = 'published'", UUID.fromString(old));
        update("update idempotency_key set expires_at = now() - interval '1 second' where scope = $1", "account:" + ada.accountId());
        String oldKey = HexFormat.of().formatHex(Hashes.sha256("test:" + UUID.randomUUID()));
        String freshKey = HexFormat.of().formatHex(Hashes.sha256("test:" + UUID.randomUUID()));
        update("insert into rate_limit (key, attempts, window_start) values ($1, 3, now() - interval '2 days'), ($2, 3, now())", oldKey, freshKey);
        String action = "test.retention." + UUID.randomUUID();
        update("""
                insert into audit_log (actor_roles, action, target_type, target_id, occurred_at)
                values ('{admin}', $1, 'test', 'old', now() - interval '7 years 1 day'), ('{admin}', $1, 'test', 'young', now() - interval '6 years')""",
                action);

        UUID oldMail = UUID.randomUUID();
        UUID freshMail = UUID.randomUUID();
        // not due for a day: the mail poll, or a round a registration starts, would drop these unopenable rows
        update("""
                insert into mail_queue (id, sealed, created_at, next_attempt_at)
                values ($1, '\\x00', now() - interval '8 days', now() + interval '1 day'), ($2, '\\x00', now(), now() + interval '1 day')""",
                oldMail, freshMail);

        List<Purged> first = tx(conn -> platform.purge(conn));
        assertEquals(List.of("outbox", "mail_queue", "idempotency_key", "rate_limit", "audit_log"), first.stream().map(Purged::table).toList());
        assertEquals(0, count("select count(*) from mail_queue where id = $1", oldMail), "mail never accepted in seven days is dropped");
        assertEquals(1, count("select count(*) from mail_queue where id = $1", freshMail));
        assertEquals(0, count("select count(*) from outbox where aggregate_id = $1", UUID.fromString(old)), first.toString());
        assertTrue(count("select count(*) from outbox where aggregate_id = $1", UUID.fromString(fresh)) > 0, "pending events stay");
        assertEquals(0, count("select count(*) from idempotency_key where scope = $1", "account:" + ada.accountId()));
        assertEquals(0, count("select count(*) from rate_limit where key = $1", oldKey));
        assertEquals(1, count("select count(*) from rate_limit where key = $1", freshKey));
        assertEquals(List.of("young"), texts("select target_id from audit_log where action = $1", action));
        assertThrows(Exception.class, () -> update("delete from audit_log where action = $1", action), "younger entries cannot be deleted");

        List<Purged> second = tx(conn -> platform.purge(conn));
        assertTrue(second.stream().allMatch(p -> p.rows() == 0), "a second run finds nothing: " + second);
    }

    @Test
    void aRecentlyPublishedEventStaysAWeek_P28() {
        SignedIn ada = AuthFixtures.customer();
        String id = order(ada, ada.email()).path("id");
        drain();
        update("update outbox set published_at = now() - interval '6 days' where aggregate_id = $1", UUID.fromString(id));
        long before = count("select count(*) from outbox where aggregate_id = $1", UUID.fromString(id));
        tx(conn -> platform.purge(conn));
        assertTrue(before > 0);
        assertEquals(before, count("select count(*) from outbox where aggregate_id = $1", UUID.fromString(id)));
    }

    // ------------------------------------------------------------------ helpers

    private static Response order(SignedIn who, String email) {
        String cartId = CartFixtures.myCartWith(who, CartFixtures.variant(1200, 10), 1);
        Map<String, Object> body = OrderFixtures.checkout(cartId);
        body.put("email", email);
        return OrderFixtures.place(who, body).then().statusCode(201).extract().response();
    }

    private static void deliver(String orderId) {
        String support = AuthFixtures.support().accessToken();
        for (String to : List.of("fulfilled", "shipped", "delivered")) {
            given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("to", to))
                    .post("/v1/admin/orders/" + orderId + "/transitions").then().statusCode(200);
        }
    }

    private void drain() {
        while (outbox.publishDue().await().atMost(WAIT) > 0) {
            // every due event
        }
    }

    private static List<String> concat(List<String> list, String... more) {
        List<String> all = new ArrayList<>(list);
        all.addAll(List.of(more));
        return all;
    }

    private <T> T tx(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work).await().atMost(WAIT);
    }

    private Row row(String sql, Object... params) {
        var rows = pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT);
        return rows.iterator().hasNext() ? rows.iterator().next() : null;
    }

    private long count(String sql, Object... params) {
        return row(sql, params).getLong(0);
    }

    private List<String> texts(String sql, Object... params) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT).forEach(r -> out.add(r.getString(0)));
        return out;
    }

    private void update(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT);
    }
}
