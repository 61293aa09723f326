package com.harmony.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
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
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The order feature's part in access, erasure and retention (P28): orders are kept for tax law with the identity removed. */
@QuarkusTest
class OrderPersonalDataTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NAME = "Ada Lovelace";
    private static final String STREET = "12 Analytical Way";
    private static final String PHONE = "+1 217 555 0100";
    private static final String POSTAL = "62701";
    private static final String UUID_OR_TIME = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\\d{4}-\\d{2}-\\d{2}T[0-9:.+-]+";

    @Inject
    Pool pool;

    @Inject
    OrderPersonalData orders;

    // ------------------------------------------------------------------ access

    @Test
    void findCountsAndExportHoldsEveryRowOfTheCustomer_P13() {
        SignedIn ada = AuthFixtures.customer();
        Response order = deliveredOrder(ada, ada.email(), 2);
        String returnId = ownerReturn(ada, order.path("id"), "too small");
        decide(returnId, "approve", "refund approved");
        Person person = Person.customer(UUID.fromString(ada.accountId()), UUID.randomUUID());

        Map<String, Long> found = tx(conn -> orders.find(conn, person));
        assertEquals(1L, found.get("orders"));
        assertEquals(1L, found.get("order_line"));
        assertEquals(5L, found.get("order_transition"), "placed, paid, fulfilled, shipped, delivered: " + found);
        assertEquals(1L, found.get("order_return"));
        assertEquals(1L, found.get("order_return_line"));
        assertEquals(1L, found.get("payment_refund"));

        List<Exported> exported = tx(conn -> orders.export(conn, person).collect().asList());
        Map<String, Long> perTable = exported.stream().collect(Collectors.groupingBy(Exported::table, Collectors.counting()));
        assertEquals(found, perTable, "the export holds exactly the rows found");
        String orderJson = exported.stream().filter(e -> e.table().equals("orders")).findFirst().orElseThrow().json();
        assertTrue(orderJson.contains(ada.email()) && orderJson.contains(STREET) && orderJson.contains("\"ship_name\""), orderJson);
    }

    // ------------------------------------------------------------------ holds and references

    @Test
    void anOrderInProgressOrAnOpenReturnHoldsTheErasure_namingTheOrder_P28() {
        SignedIn ada = AuthFixtures.customer();
        Response order = paidOrder(ada, ada.email(), 1);
        String number = order.path("number");
        Person person = Person.customer(UUID.fromString(ada.accountId()), UUID.randomUUID());

        List<String> holds = tx(conn -> orders.holds(conn, person));
        assertEquals(1, holds.size(), holds.toString());
        assertTrue(holds.get(0).contains(number) && holds.get(0).contains("paid"), holds.get(0));

        deliver(order.path("id"));
        assertEquals(List.of(), tx(conn -> orders.holds(conn, person)), "a delivered order holds nothing");

        String returnId = ownerReturn(ada, order.path("id"), "changed my mind");
        holds = tx(conn -> orders.holds(conn, person));
        assertEquals(1, holds.size(), holds.toString());
        assertTrue(holds.get(0).contains(number) && holds.get(0).contains("return"), holds.get(0));

        decide(returnId, "reject", "worn");
        assertEquals(List.of(), tx(conn -> orders.holds(conn, person)), "a decided return holds nothing");
        assertEquals(List.of(), tx(conn -> orders.holds(conn, Person.customer(UUID.randomUUID(), UUID.randomUUID()))),
                "someone without orders is never held");
    }

    @Test
    void referencesGiveTheProviderItsPaymentReferencesAndTheCarrierTheNumbersItShipped_P28() {
        SignedIn ada = AuthFixtures.customer();
        Response order = deliveredOrder(ada, ada.email(), 1);
        decide(ownerReturn(ada, order.path("id"), "broken"), "approve", "ok");
        Row stored = row("select payment_reference from orders where id = $1", UUID.fromString(order.path("id")));
        Row refund = row("select provider_reference from payment_refund where order_id = $1", UUID.fromString(order.path("id")));
        Person person = Person.customer(UUID.fromString(ada.accountId()), UUID.randomUUID());

        Map<String, List<String>> refs = tx(conn -> orders.references(conn, person));
        assertTrue(refs.get("payment_provider").contains(stored.getString("payment_reference")), refs.toString());
        assertTrue(refs.get("payment_provider").contains(refund.getString("provider_reference")), refs.toString());
        assertEquals(List.of(order.path("number").toString()), refs.get("carrier"));
        String all = refs.toString();
        assertFalse(all.contains(ada.email()) || all.contains(NAME), "references carry no personal data: " + all);
    }

    // ------------------------------------------------------------------ erasure

    @Test
    void erasureKeepsTheCustomersOrdersWithTheIdentityRemoved_andTouchesNobodyElse_P28() {
        SignedIn ada = AuthFixtures.customer();
        Response order = deliveredOrder(ada, ada.email(), 2, "leave it with Ada Lovelace next door");
        UUID orderId = UUID.fromString(order.path("id"));
        String owned = ownerReturn(ada, orderId.toString(), "too small for Ada Lovelace, call +1 217 555 0100");
        decide(owned, "approve", "refund for Ada Lovelace");
        String guest = guestReturn(order.path("number"), ada.email(), "192.0.2.77");
        decide(guest, "approve", "ok");
        SignedIn bob = AuthFixtures.customer();
        Response bobs = deliveredOrder(bob, bob.email(), 1);
        Row before = row("select card_last4, total_minor, status from orders where id = $1", orderId);
        assertNotNull(before.getString("card_last4"));
        UUID pseudonym = UUID.randomUUID();
        Person person = Person.customer(UUID.fromString(ada.accountId()), pseudonym);

        List<Erased> erased = tx(conn -> orders.erase(conn, person));
        Map<String, Erased> byTable = erased.stream().collect(Collectors.toMap(Erased::table, e -> e));
        assertEquals(1, byTable.get("orders").rows());
        assertEquals("kept", byTable.get("orders").action());
        assertTrue(byTable.get("orders").columns().containsAll(List.of("account_id", "email", "ship_name", "card_last4")));
        assertEquals(OffsetDateTime.now().getYear() + 7, byTable.get("orders").keptUntil().getYear(), "kept seven years from the order");
        assertNotNull(byTable.get("orders").rule());
        assertEquals(2, byTable.get("order_return").rows());
        assertEquals(2, byTable.get("payment_refund").rows());

        Row kept = row("""
                select account_id, email, ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country, ship_phone,
                       billing_postal_code, card_brand, card_last4, card_exp_month, card_exp_year, payment_reference, total_minor, status
                from orders where id = $1""", orderId);
        assertEquals(pseudonym, kept.getUUID("account_id"));
        assertEquals(person.pseudonymEmail(), kept.getString("email"));
        for (String cleared : List.of("ship_name", "ship_line1", "ship_city", "ship_postal_code", "billing_postal_code")) {
            assertEquals("", kept.getString(cleared), cleared);
        }
        for (String gone : List.of("ship_line2", "ship_region", "ship_phone", "card_brand", "card_last4", "payment_reference")) {
            assertNull(kept.getValue(gone), gone);
        }
        assertNull(kept.getValue("card_exp_month"));
        assertEquals("US", kept.getString("ship_country"), "the country stays for the tax record");
        assertEquals(before.getLong("total_minor"), kept.getLong("total_minor"), "amounts stay");
        assertEquals(before.getString("status"), kept.getString("status"), "the status stays");

        List<String> traces = List.of(ada.email(), NAME, STREET, PHONE, POSTAL, "192.0.2.77", "GuestBrowser", "too small",
                before.getString("card_last4"));
        for (String sql : List.of("select row_to_json(o)::text from orders o where id = $1",
                "select row_to_json(t)::text from order_transition t where order_id = $1",
                "select row_to_json(r)::text from order_return r where order_id = $1",
                "select row_to_json(f)::text from payment_refund f where order_id = $1",
                "select row_to_json(l)::text from order_line l where order_id = $1")) {
            for (String json : texts(sql, orderId)) {
                assertFalse(json.contains(ada.accountId()), "the account id left in " + json);
                // ids and timestamps may hold any run of digits: the values are looked for in the rest
                String rest = json.replaceAll(UUID_OR_TIME, "").toLowerCase(Locale.ROOT);
                for (String trace : traces) {
                    assertFalse(rest.contains(trace.toLowerCase(Locale.ROOT)), trace + " left in " + json);
                }
            }
        }
        long own = count("select count(*) from order_transition where order_id = $1 and actor_role = 'customer'", orderId);
        assertTrue(own > 0);
        assertEquals(own, count("select count(*) from order_transition where order_id = $1 and actor_id = $2", orderId, pseudonym),
                "the customer's own moves (placing and paying) keep the pseudonym as their actor");
        assertEquals(0, count("select count(*) from order_transition where order_id = $1 and actor_role <> 'customer' and actor_id = $2",
                orderId, pseudonym), "staff ids stay");

        Row untouched = row("select account_id::text as account, email, ship_name, ship_line1 from orders where id = $1",
                UUID.fromString(bobs.path("id")));
        assertEquals(bob.accountId(), untouched.getString("account"));
        assertEquals(bob.email(), untouched.getString("email"));
        assertEquals(NAME, untouched.getString("ship_name"));
        assertEquals(STREET, untouched.getString("ship_line1"));

        List<Erased> again = tx(conn -> orders.erase(conn, person));
        assertTrue(again.stream().allMatch(e -> e.rows() == 0), "a second erasure finds nothing: " + again);
        assertTrue(tx(conn -> orders.find(conn, person)).values().stream().allMatch(n -> n == 0), "nothing leads to the person any more");
    }

    @Test
    void erasureOfAGuestBuyerReachesOrdersByEmailInAnyCase_andKeepsTheAccountHoldersId_P28() {
        SignedIn holder = AuthFixtures.customer();
        String buyerEmail = AuthFixtures.uniqueEmail();
        Response bought = deliveredOrder(holder, buyerEmail, 1);
        UUID orderId = UUID.fromString(bought.path("id"));
        String guest = guestReturn(bought.path("number"), buyerEmail.toUpperCase(Locale.ROOT), "198.51.100.23");
        Response own = deliveredOrder(holder, holder.email(), 1);
        Person person = Person.guestBuyer(buyerEmail.toUpperCase(Locale.ROOT), UUID.fromString(holder.accountId()), UUID.randomUUID());

        List<String> holds = tx(conn -> orders.holds(conn, person));
        assertEquals(1, holds.size(), "the requested return holds the erasure: " + holds);
        assertTrue(holds.get(0).contains(bought.path("number")));
        decide(guest, "approve", "ok"); // its one unit refunded: delivered → refunded is the sixth move
        assertEquals(Map.of("orders", 1L, "order_line", 1L, "order_transition", 6L, "order_return", 1L, "payment_refund", 1L,
                "order_return_line", 1L), tx(conn -> orders.find(conn, person)));

        List<Erased> erased = tx(conn -> orders.erase(conn, person));
        assertEquals(1, erased.stream().filter(e -> e.table().equals("orders")).findFirst().orElseThrow().rows());
        assertFalse(erased.stream().filter(e -> e.table().equals("orders")).findFirst().orElseThrow().columns().contains("account_id"));

        Row kept = row("select account_id::text as account, email, ship_name, ship_phone from orders where id = $1", orderId);
        assertEquals(holder.accountId(), kept.getString("account"), "the account holder's id stays");
        assertEquals(person.pseudonymEmail(), kept.getString("email"));
        assertEquals("", kept.getString("ship_name"));
        assertNull(kept.getString("ship_phone"));
        Row ret = row("select verifier_email, verifier_ip, verifier_postal_code, reason from order_return where id = $1", UUID.fromString(guest));
        assertNull(ret.getString("verifier_email"));
        assertNull(ret.getString("verifier_ip"));
        assertNull(ret.getString("verifier_postal_code"));
        assertEquals("", ret.getString("reason"));

        assertEquals(holder.email(), row("select email from orders where id = $1", UUID.fromString(own.path("id"))).getString("email"),
                "the holder's own order under another email is not the guest's");
        assertTrue(tx(conn -> orders.erase(conn, person)).stream().allMatch(e -> e.rows() == 0), "idempotent");
    }

    @Test
    void erasureOfSomeoneWithoutOrdersChangesNothing_P28() {
        Person nobody = Person.customer(UUID.randomUUID(), UUID.randomUUID());
        assertTrue(tx(conn -> orders.erase(conn, nobody)).stream().allMatch(e -> e.rows() == 0));
        Person visitor = Person.visitor(UUID.randomUUID(), UUID.randomUUID());
        assertTrue(tx(conn -> orders.erase(conn, visitor)).stream().allMatch(e -> e.rows() == 0), "no path leads from a visitor to orders");
    }

    // ------------------------------------------------------------------ retention

    @Test
    void theRetentionRunRemovesTheIdentityOfOrdersOlderThanSevenYears_once_andKeepsYoungerOnes_P28() {
        SignedIn ada = AuthFixtures.customer();
        Response old = deliveredOrder(ada, ada.email(), 2, "handed to Ada Lovelace");
        UUID oldId = UUID.fromString(old.path("id"));
        String guest = guestReturn(old.path("number"), ada.email(), "192.0.2.88");
        decide(guest, "approve", "ok");
        Response fresh = deliveredOrder(ada, ada.email(), 1);
        update("update orders set created_at = now() - interval '7 years 1 day' where id = $1", oldId);

        List<Purged> first = tx(conn -> orders.purge(conn));
        assertTrue(purged(first, "orders") >= 1, first.toString());
        assertTrue(purged(first, "order_transition") >= 5, first.toString());
        Row kept = row("select account_id, email, ship_name, ship_line1, ship_phone, card_last4, ship_country from orders where id = $1", oldId);
        UUID pid = kept.getUUID("account_id");
        assertNotEquals(UUID.fromString(ada.accountId()), pid, "a fresh random pseudonym replaces the account id");
        assertEquals("erased-" + pid + "@erased.invalid", kept.getString("email"));
        assertEquals("", kept.getString("ship_name"));
        assertNull(kept.getString("ship_phone"));
        assertNull(kept.getString("card_last4"));
        assertEquals("US", kept.getString("ship_country"));
        assertEquals(0, count("select count(*) from order_transition where order_id = $1 and (note is not null or actor_id = $2)", oldId,
                UUID.fromString(ada.accountId())));
        Row ret = row("select verifier_email, verifier_ip, verifier_postal_code from order_return where id = $1", UUID.fromString(guest));
        assertNull(ret.getString("verifier_email"));
        assertNull(ret.getString("verifier_ip"));

        Row young = row("select account_id::text as account, email, ship_name from orders where id = $1", UUID.fromString(fresh.path("id")));
        assertEquals(ada.accountId(), young.getString("account"));
        assertEquals(ada.email(), young.getString("email"));
        assertEquals(NAME, young.getString("ship_name"));

        List<Purged> second = tx(conn -> orders.purge(conn));
        assertEquals(0, purged(second, "orders"), "a second run finds nothing left: " + second);
        assertEquals(pid, row("select account_id from orders where id = $1", oldId).getUUID("account_id"), "the pseudonym stays as it was");
    }

    @Test
    void theRetentionRunClearsARequestersNetworkDataAfterAYear_P28() {
        SignedIn ada = AuthFixtures.customer();
        Response order = deliveredOrder(ada, ada.email(), 2);
        String old = guestReturn(order.path("number"), ada.email(), "192.0.2.91");
        decide(old, "reject", "no");
        String recent = guestReturn(order.path("number"), ada.email(), "192.0.2.92");
        update("update order_return set created_at = now() - interval '1 year 1 day' where id = $1", UUID.fromString(old));

        List<Purged> first = tx(conn -> orders.purge(conn));
        assertTrue(first.stream().anyMatch(p -> p.table().equals("order_return") && p.rule().contains("IP") && p.rows() >= 1), first.toString());
        Row gone = row("select verifier_ip, verifier_user_agent, verifier_email from order_return where id = $1", UUID.fromString(old));
        assertNull(gone.getString("verifier_ip"));
        assertNull(gone.getString("verifier_user_agent"));
        assertEquals(ada.email(), gone.getString("verifier_email"), "only the network data has a one-year rule");
        assertEquals("192.0.2.92", row("select verifier_ip from order_return where id = $1", UUID.fromString(recent)).getString("verifier_ip"));
        List<Purged> second = tx(conn -> orders.purge(conn));
        assertTrue(second.stream().filter(p -> p.rule().contains("IP")).allMatch(p -> p.rows() == 0), second.toString());
    }

    // ------------------------------------------------------------------ helpers

    private <T> T tx(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work).await().atMost(WAIT);
    }

    private static long purged(List<Purged> purged, String table) {
        return purged.stream().filter(p -> p.table().equals(table)).findFirst().orElseThrow().rows();
    }

    private static Response paidOrder(SignedIn who, String email, int quantity) {
        String variant = CartFixtures.variant(1500, quantity + 10);
        String cartId = CartFixtures.myCartWith(who, variant, quantity);
        Map<String, Object> body = OrderFixtures.checkout(cartId);
        body.put("email", email);
        return OrderFixtures.place(who, body).then().statusCode(201).extract().response();
    }

    private static Response deliveredOrder(SignedIn who, String email, int quantity) {
        return deliveredOrder(who, email, quantity, null);
    }

    /** Paid, then moved to delivered by support, the last move with a note. */
    private static Response deliveredOrder(SignedIn who, String email, int quantity, String note) {
        Response order = paidOrder(who, email, quantity);
        deliver(order.path("id"), note);
        return order;
    }

    private static void deliver(String orderId) {
        deliver(orderId, null);
    }

    private static void deliver(String orderId, String note) {
        String support = AuthFixtures.support().accessToken();
        for (String to : List.of("fulfilled", "shipped", "delivered")) {
            Map<String, Object> body = new HashMap<>(Map.of("to", to));
            if (note != null && to.equals("delivered")) {
                body.put("note", note);
            }
            given().auth().oauth2(support).contentType(ContentType.JSON).body(body)
                    .post("/v1/admin/orders/" + orderId + "/transitions").then().statusCode(200);
        }
    }

    private static String ownerReturn(SignedIn who, String orderId, String reason) {
        return given().auth().oauth2(who.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(Map.of("lines", List.of(Map.of("line_no", 1, "quantity", 1)), "resolution", "refund", "reason", reason))
                .post("/v1/me/orders/" + orderId + "/returns").then().statusCode(201).extract().path("id");
    }

    private static String guestReturn(String number, String email, String client) {
        return given().header("Idempotency-Key", UUID.randomUUID().toString()).header("X-Forwarded-For", client)
                .header("User-Agent", "GuestBrowser/1.0 " + client).contentType(ContentType.JSON)
                .body(Map.of("order_number", number, "email", email, "postal_code", POSTAL, "reason", "too small, says Ada Lovelace",
                        "lines", List.of(Map.of("line_no", 1, "quantity", 1)), "resolution", "refund"))
                .post("/v1/returns").then().statusCode(201).extract().path("id");
    }

    private static void decide(String returnId, String decision, String note) {
        given().auth().oauth2(AuthFixtures.support().accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(Map.of("note", note)).post("/v1/admin/returns/" + returnId + "/" + decision)
                .then().statusCode(200).body("status", equalTo(decision.equals("approve") ? "refunded" : "rejected"));
    }

    private Row row(String sql, Object... params) {
        var rows = pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT);
        return rows.iterator().hasNext() ? rows.iterator().next() : null;
    }

    private long count(String sql, Object... params) {
        return row(sql, params).getLong(0);
    }

    private List<String> texts(String sql, Object... params) {
        List<String> out = new java.util.ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT).forEach(r -> out.add(r.getString(0)));
        return out;
    }

    private void update(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT);
    }
}
