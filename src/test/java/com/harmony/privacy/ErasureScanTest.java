package com.harmony.privacy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures.SignedIn;
import com.harmony.AuthFixtures;
import com.harmony.MailServer;
import com.harmony.affiliate.AffiliateFixtures;
import com.harmony.cart.CartFixtures;
import com.harmony.order.OrderFixtures;
import com.harmony.platform.DataMap;
import com.harmony.platform.OutboxWorker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Erasure with retention, proved on the database itself (P28, P29): one person of each kind (a
 * customer who is also an affiliate, a visitor, a guest buyer) leaves data in every feature, asks for
 * erasure and confirms; afterwards every text and JSON column of every table is searched for their
 * email, name, phone, street and IP address, and nothing is found. Their orders stay (tax law) with
 * the identity removed; another person's data is untouched; the export holds every mapped column.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class ErasureScanTest {

    private static final DataMap MAP = DataMap.load();

    @Inject
    Pool pool;
    @Inject
    RequestProcessor processor;
    @Inject
    OutboxWorker outbox;

    /** What identifies one person, each value unique to this run so a hit can only be theirs. */
    record Marks(String email, String name, String phone, String street, String ip) {

        static Marks fresh(String first) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String word = HexFormat.of().formatHex(new byte[] {(byte) r.nextInt(), (byte) r.nextInt(), (byte) r.nextInt()}).replaceAll("[0-9]", "q");
            String ip = "2001:db8:%x:%x:%x:%x:%x:%x".formatted(r.nextInt(1, 65535), r.nextInt(65535), r.nextInt(65535), r.nextInt(65535),
                    r.nextInt(65535), r.nextInt(1, 65535));
            return new Marks(AuthFixtures.uniqueEmail(), first + " Z" + word, "+1 312 " + r.nextInt(200, 999) + " " + r.nextInt(1000, 9999),
                    r.nextInt(10, 999) + " " + word + " Erasure Lane", ip);
        }

        Map<String, Object> address() {
            Map<String, Object> a = new HashMap<>(Map.of("name", name, "line1", street, "city", "Springfield", "postal_code", "62701",
                    "country", "US", "phone", phone));
            return a;
        }

        List<String> values() {
            return List.of(email, name, phone, street, ip);
        }
    }

    private static RequestSpecification from(Marks m) {
        return given().header("X-Forwarded-For", m.ip()).header("User-Agent", "Mozilla/5.0 (" + m.name() + ")").contentType(ContentType.JSON);
    }

    // ------------------------------------------------------------------ the people

    /** A customer with an affiliate membership, an address book, a cart, a delivered order with a rejected return, and more. */
    private SignedIn customer(Marks m, String contest) {
        Map<String, Object> registration = AuthFixtures.registration(m.email());
        registration.put("name", m.name());
        registration.put("phone", m.phone());
        registration.put("address", m.address());
        from(m).body(registration).post("/v1/accounts").then().statusCode(202);
        String token = from(m).body(Map.of("email", m.email(), "password", AuthFixtures.PASSWORD)).post("/v1/auth/sign-in").then().statusCode(200)
                .extract().path("access_token");
        SignedIn who = AuthFixtures.signIn(m.email(), AuthFixtures.PASSWORD);
        RequestSpecification as = from(m).auth().oauth2(token);
        as.body(Map.of("address", m.address())).post("/v1/me/addresses").then().statusCode(201);
        from(m).auth().oauth2(token).body(Map.of("marketing_email", true, "analytics", true, "partner_sharing", true)).patch("/v1/me/consents")
                .then().statusCode(200);

        // a delivered order (idempotent response, outbox events), with a return asked with their name and rejected
        String variant = CartFixtures.variant(2500, 20);
        Map<String, Object> checkout = OrderFixtures.checkout(CartFixtures.myCartWith(who, variant, 2));
        checkout.put("shipping_address", m.address());
        checkout.put("email", m.email());
        String orderId = from(m).auth().oauth2(token).header("Idempotency-Key", UUID.randomUUID().toString()).body(checkout)
                .post("/v1/me/orders").then().statusCode(201).extract().path("id");
        deliver(orderId);
        String returnId = from(m).auth().oauth2(token).header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("lines", List.of(Map.of("line_no", 1, "quantity", 1)), "resolution", "refund",
                "reason", "Too small for " + m.name())).post("/v1/me/orders/" + orderId + "/returns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(AuthFixtures.support().accessToken()).contentType(ContentType.JSON).body(Map.of("note", "outside policy"))
                .post("/v1/admin/returns/" + returnId + "/reject").then().statusCode(200);
        CartFixtures.addToMyCart(who, CartFixtures.variant(900, 5), 1).then().statusCode(200);

        // affiliate membership, contest entry, feedback, a support contact, a page view
        AffiliateFixtures.apply(who, AffiliateFixtures.application()).then().statusCode(201);
        Map<String, Object> entry = new HashMap<>(Map.of("name", m.name(), "email", m.email(), "phone", m.phone(), "address", m.address(),
                "birth_date", "1990-01-01", "adult_confirmed", true));
        from(m).auth().oauth2(token).body(entry).post("/v1/contests/" + contest + "/entries").then().statusCode(201);
        from(m).auth().oauth2(token).body(Map.of("topic", "product", "message", "Regards, " + m.name() + ", " + m.phone())).post("/v1/feedback")
                .then().statusCode(201);
        given().auth().oauth2(AuthFixtures.support().accessToken()).contentType(ContentType.JSON).body(Map.of("account_id", who.accountId(),
                "channel", "phone", "reason", "order", "notes", "Called from " + m.phone() + " about " + m.street())).post("/v1/admin/support-contacts")
                .then().statusCode(201);
        from(m).auth().oauth2(token).body(Map.of("path", "/products/shoes")).post("/v1/page-views").then().statusCode(204);
        return new SignedIn(who.accountId(), token, m.email(), who.refreshToken());
    }

    /**
     * Where a customer's data lands beyond their account's own rows: a copyright notice they filed, a legal hold placed on
     * their email and lifted, an access request they filed as the guest buyer of their own order, staff's reason for turning
     * down a request of theirs, a staff note on their rectification, and staff answers about their order stored under Idempotency-Keys (a refund, a guest return and its
     * rejection), each naming them.
     */
    private String beyondTheAccount(Marks m, SignedIn who) {
        Map<String, Object> order = given().auth().oauth2(who.accessToken()).get("/v1/me/orders").then().statusCode(200).extract().path("data[0]");
        Map<String, Object> postal = new HashMap<>(m.address());
        postal.remove("phone");
        from(m).body(Map.of("signature", m.name(), "copyright_owner", m.name(), "copyrighted_work", "Photograph by " + m.name(),
                "infringing_material", "The main product image", "infringing_urls", List.of("https://shop.example/products/mug"), "address", postal,
                "phone", m.phone(), "email", m.email(), "good_faith_statement", true, "accuracy_statement", true))
                .post("/v1/copyright-notices").then().statusCode(202);

        String legal = AuthFixtures.withRoles("legal").accessToken();
        String hold = given().auth().oauth2(legal).contentType(ContentType.JSON)
                .body(Map.of("email", m.email().toUpperCase(java.util.Locale.ROOT), "reason", "Litigation hold: claim 2026-207 by " + m.name()))
                .post("/v1/admin/legal-holds").then().statusCode(201).extract().path("id");
        given().auth().oauth2(legal).delete("/v1/admin/legal-holds/" + hold).then().statusCode(200);

        int seen = MailServer.messagesTo(m.email(), "Confirm your privacy request");
        from(m).body(Map.of("kind", "access", "email", m.email(), "order_number", order.get("number"), "postal_code", "62701"))
                .post("/v1/privacy-requests").then().statusCode(202);
        confirm(m.email(), seen);
        // an export staff turned down, with a reason naming them
        String turnedDown = from(m).auth().oauth2(who.accessToken()).body(Map.of("kind", "export")).post("/v1/privacy-requests").then().statusCode(202)
                .extract().path("id");
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("reason", "Asked twice in a day by " + m.name())).post("/v1/admin/privacy-requests/" + turnedDown + "/rejection")
                .then().statusCode(200);
        String rectification = from(m).auth().oauth2(who.accessToken()).body(Map.of("kind", "rectification", "corrections", Map.of("name", m.name() + " Jr")))
                .post("/v1/privacy-requests").then().statusCode(202).extract().path("id");
        confirm(m.email(), seen + 2);
        processEverything();
        String support = AuthFixtures.support().accessToken();
        given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("verified", List.of("name"), "note", "Saw the passport of " + m.name()))
                .post("/v1/admin/privacy-requests/" + rectification + "/rectification").then().statusCode(200);

        given().auth().oauth2(support).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(Map.of("lines", List.of(Map.of("line_no", 1, "quantity", 0, "amount_minor", 100)), "note", "Goodwill for " + m.name()))
                .post("/v1/admin/orders/" + order.get("id") + "/refunds").then().statusCode(201);
        String guestReturn = from(m).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("order_number", order.get("number"), "email", m.email(), "postal_code", "62701", "reason", "Sent by " + m.name(),
                        "lines", List.of(Map.of("line_no", 1, "quantity", 1)), "resolution", "refund"))
                .post("/v1/returns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(support).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(Map.of("note", "Told " + m.name() + " it was worn")).post("/v1/admin/returns/" + guestReturn + "/reject").then().statusCode(200);
        return rectification;
    }

    /** A visitor with cookie choices, a referral visit, a contest entry, feedback and a page view. */
    private String visitor(Marks m, String contest, String affiliateCode) {
        String token = from(m).post("/v1/visitors").then().statusCode(201).extract().path("token");
        from(m).header("X-Visitor-Token", token).body(Map.of("analytics", true)).put("/v1/cookie-preferences")
                .then().statusCode(200);
        AffiliateFixtures.visit(affiliateCode, m.ip(), "Mozilla/5.0 (" + m.name() + ")", token, null).then().statusCode(201);
        Map<String, Object> entry = new HashMap<>(Map.of("name", m.name(), "email", m.email(), "phone", m.phone(), "address", m.address(),
                "birth_date", "1990-01-01", "adult_confirmed", true));
        from(m).header("X-Visitor-Token", token).body(entry).post("/v1/contests/" + contest + "/entries").then().statusCode(201);
        from(m).header("X-Visitor-Token", token).body(Map.of("topic", "website", "message", "I am " + m.name(), "contact_email", m.email()))
                .post("/v1/feedback").then().statusCode(201);
        from(m).header("X-Visitor-Token", token).body(Map.of("path", "/help")).post("/v1/page-views").then().statusCode(204);
        return token;
    }

    /** A delivered order bought under another account for the guest's email, name and address; answers its number. */
    private String guestOrder(Marks m) {
        return guestOrder(m, AuthFixtures.customer());
    }

    /** The same, bought under the account given. */
    private String guestOrder(Marks m, SignedIn buyer) {
        Map<String, Object> checkout = OrderFixtures.checkout(CartFixtures.myCartWith(buyer, CartFixtures.variant(1500, 10), 1));
        checkout.put("shipping_address", m.address());
        checkout.put("email", m.email());
        Map<String, Object> placed = from(m).auth().oauth2(buyer.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(checkout).post("/v1/me/orders").then().statusCode(201).extract().as(Map.class);
        deliver((String) placed.get("id"));
        return (String) placed.get("number");
    }

    private static void deliver(String orderId) {
        String support = AuthFixtures.support().accessToken();
        for (String to : List.of("fulfilled", "shipped", "delivered")) {
            given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("to", to)).post("/v1/admin/orders/" + orderId + "/transitions")
                    .then().statusCode(200);
        }
    }

    private static String contest() {
        return given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("title", "Erasure draw " + UUID.randomUUID(), "rules", "One entry each.", "closes_at", OffsetDateTime.now().plusDays(7).toString(),
                        "entries_per_person", 1, "winners", 1))
                .post("/v1/admin/contests").then().statusCode(201).extract().path("id");
    }

    // ------------------------------------------------------------------ the requests

    private static String confirm(String email, int seenBefore) {
        String token = MailServer.tokenIn(MailServer.nextMessageTo(email, "Confirm your privacy request", seenBefore));
        return given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/v1/privacy-requests/confirmations").then().statusCode(200)
                .extract().path("id");
    }

    /** DELETE /v1/me, confirmed from the account's email; answers the request's id. */
    private static String erasureOfAccount(Marks m, SignedIn who) {
        int seen = MailServer.messagesTo(m.email(), "Confirm your privacy request");
        from(m).auth().oauth2(who.accessToken()).delete("/v1/me").then().statusCode(202);
        return confirm(m.email(), seen);
    }

    /** An erasure filed with a browser's token and an email, confirmed from that email; answers the request's id. */
    private static String erasureFromBrowser(Marks m, String browser) {
        from(m).header("X-Visitor-Token", browser).body(Map.of("kind", "erasure", "email", m.email())).post("/v1/privacy-requests")
                .then().statusCode(202);
        return confirm(m.email(), 0);
    }

    private void processEverything() {
        PrivacyProcessingTest.processAndPublish(processor, outbox);
    }

    @Test
    void P28_afterErasureNoColumnOfAnyTableHoldsTheirEmailNamePhoneStreetOrIp_ordersStayAnonymised_andOthersAreUntouched() {
        String contest = contest();
        AffiliateFixtures.Affiliate affiliate = AffiliateFixtures.approvedAffiliate();
        Marks ada = Marks.fresh("Ada");
        Marks vera = Marks.fresh("Vera");
        Marks gus = Marks.fresh("Gus");
        Marks bob = Marks.fresh("Bob");

        SignedIn customer = customer(ada, contest);
        String adaRectification = beyondTheAccount(ada, customer);
        SignedIn other = customer(bob, contest);
        String visitorToken = visitor(vera, contest, affiliate.code());
        String guestNumber = guestOrder(gus);
        outbox.publishDue().await().atMost(Duration.ofSeconds(60));
        List<String> adaOrders = given().auth().oauth2(customer.accessToken()).get("/v1/me/orders").then().statusCode(200).extract().path("data.id");

        // every value is somewhere before (so the scan below can find them)
        for (Marks m : List.of(ada, vera, gus)) {
            assertFalse(hits(m).isEmpty(), "the data of " + m.name() + " was stored");
        }

        // each files an erasure and confirms it by email
        String adaRequest = erasureOfAccount(ada, customer);
        String veraRequest = erasureFromBrowser(vera, visitorToken);
        from(gus).body(Map.of("kind", "erasure", "email", gus.email(), "order_number", guestNumber, "postal_code", "62701"))
                .post("/v1/privacy-requests").then().statusCode(202);
        String gusRequest = confirm(gus.email(), 0);
        processEverything();

        String admin = AuthFixtures.admin().accessToken();
        for (String id : List.of(adaRequest, veraRequest, gusRequest)) {
            JsonPath r = given().auth().oauth2(admin).get("/v1/admin/privacy-requests/" + id).then().statusCode(200).extract().jsonPath();
            assertEquals("completed", r.getString("status"), id + ": " + r.prettify());
            assertTrue(r.getList("recipients.acknowledged_at").stream().allMatch(a -> a != null), r.prettify());
        }
        // Ada's result lists her orders as kept under the tax rule, until a date, with the fields erased and kept
        JsonPath result = given().auth().oauth2(admin).get("/v1/admin/privacy-requests/" + adaRequest).then().extract().jsonPath();
        Map<String, Object> orders = result.getMap("result.tables.find { it.table == 'orders' }");
        assertEquals("kept", orders.get("action"));
        assertTrue(((List<?>) orders.get("erased_fields")).contains("email"), orders.toString());
        assertTrue(orders.get("kept_until") != null && orders.get("rule") != null, orders.toString());
        assertTrue(result.getList("recipients.recipient").contains("payment_provider"), result.prettify());
        assertTrue(MailServer.messageTo(ada.email(), "Your data was erased").contains("Orders"));

        // the scan: nothing of theirs anywhere; the other customer's data is all still there
        for (Marks m : List.of(ada, vera, gus)) {
            assertEquals(List.of(), hits(m), m.name() + "'s data is still stored");
        }
        Set<String> bobHits = Set.copyOf(hits(bob).stream().map(h -> h.substring(0, h.indexOf(' '))).toList());
        assertTrue(bobHits.containsAll(List.of("account.email", "account.name", "account_address.line1", "orders.ship_name", "idempotency_key.response_body", "outbox.payload", "orders.email")),
                "another customer's data is untouched: " + bobHits);

        // her orders are kept for the tax record, with amounts and items, and no identity
        for (String id : adaOrders) {
            Row o = one("select account_id, email, ship_name, ship_line1, ship_phone, card_last4, total_minor from orders where id = $1", UUID.fromString(id));
            assertFalse(o.getUUID("account_id").toString().equals(customer.accountId()));
            assertTrue(o.getString("email").endsWith("@erased.invalid"), o.getString("email"));
            assertNull(o.getString("card_last4"));
            assertTrue(o.getLong("total_minor") > 0);
        }
        // her requests keep what was done, not the staff note, and no longer point at her orders (whoever filed them)
        given().auth().oauth2(admin).get("/v1/admin/privacy-requests/" + adaRectification).then().statusCode(200)
                .body("result.applied", equalTo(List.of("name"))).body("result.note", org.hamcrest.Matchers.nullValue());
        assertEquals(0, one("select count(*) from privacy_request where order_id = any($1::uuid[])",
                (Object) adaOrders.stream().map(UUID::fromString).toArray(UUID[]::new)).getLong(0));
        // sessions ended at once; the payment gateway was told
        given().auth().oauth2(customer.accessToken()).get("/v1/me").then().statusCode(401);
        given().auth().oauth2(other.accessToken()).get("/v1/me").then().statusCode(200).body("email", equalTo(bob.email()));

        // erasing again is harmless: nothing left to find, nothing fails
        from(gus).body(Map.of("kind", "erasure", "email", gus.email(), "order_number", guestNumber, "postal_code", "62701"))
                .post("/v1/privacy-requests").then().statusCode(202);
    }

    /** A contest entry given under an email, signed out, from a browser of its own; answers that browser's token. */
    private String enterSignedOut(Marks m) {
        String browser = from(m).post("/v1/visitors").then().statusCode(201).extract().path("token");
        Map<String, Object> entry = new HashMap<>(Map.of("name", m.name(), "email", m.email(), "phone", m.phone(), "address", m.address(),
                "birth_date", "1990-01-01", "adult_confirmed", true));
        from(m).header("X-Visitor-Token", browser).body(entry).post("/v1/contests/" + contest() + "/entries").then().statusCode(201);
        return browser;
    }

    /** The entrant is whoever confirms the email the entry was given under: an account's erasure or any browser's request. */
    /**
     * The throttle's counters are kept by keyed digest: a row of a password-reset mail to their email, or of their own privacy
     * requests, was left after erasure (only recomputing the digest finds it, and erasure did not). Nobody without the server
     * key can find them by guessing the email.
     */
    @Test
    void P28_erasureDeletesTheThrottleCountersOfTheirEmailAndAccount() {
        Marks tess = Marks.fresh("Tess");
        Map<String, Object> registration = AuthFixtures.registration(tess.email());
        from(tess).body(registration).post("/v1/accounts").then().statusCode(202);
        SignedIn who = AuthFixtures.signIn(tess.email(), AuthFixtures.PASSWORD);
        from(tess).body(Map.of("email", tess.email())).post("/v1/auth/password-reset").then().statusCode(202);
        String[] keys = {com.harmony.platform.Throttle.digest("reset-mail:email:" + tess.email().toLowerCase(java.util.Locale.ROOT)),
                com.harmony.platform.Throttle.digest("privacy-request-account:" + who.accountId())};
        String erasure = erasureOfAccount(tess, who);
        assertEquals(2L, throttleRows(keys), "the reset mail and the erasure request were counted");
        String[] guessable = {com.harmony.platform.Hashes.sha256Hex("reset-mail:email:" + tess.email().toLowerCase(java.util.Locale.ROOT)),
                com.harmony.platform.Hashes.sha256Hex("privacy-request-account:" + who.accountId())};
        assertEquals(0L, throttleRows(guessable), "keys are keyed digests: a plain SHA-256 of a guessed email finds nothing");
        processEverything();
        assertStatus(erasure, "completed");
        assertEquals(0L, throttleRows(keys));
    }

    /**
     * A checkout in flight while the erasure runs (its order not yet committed, held here on its stock row): the erasure
     * waits for it, sees the order still to be delivered, and stops. It used to look for such orders once, find none,
     * and complete, leaving the new order paid with the person's address and account id, or without an address to ship to.
     */
    @Test
    void P28_anOrderPlacedWhileTheErasureRuns_isSeenByIt_andStopsIt() throws Exception {
        Marks uma = Marks.fresh("Uma");
        SignedIn who = registered(uma);
        String variant = CartFixtures.variant(1500, 5);
        String cartId = CartFixtures.myCartWith(who, variant, 1);
        String erasure = erasureOfAccount(uma, who);
        io.restassured.response.Response checkout = duringErasure("select 1 from catalog_variant where id = $1 for update", variant,
                () -> OrderFixtures.place(who, OrderFixtures.checkout(cartId)));
        assertEquals(201, checkout.statusCode(), checkout.asString());
        assertStatus(erasure, "rejected");
        given().auth().oauth2(who.accessToken()).get("/v1/me/orders").then().statusCode(200).body("data.size()", equalTo(1));
    }

    /** The same for a return filed while the erasure runs (held on its order's row): seen, and the erasure stops. */
    @Test
    void P28_aReturnFiledWhileTheErasureRuns_isSeenByIt_andStopsIt() throws Exception {
        Marks una = Marks.fresh("Una");
        SignedIn who = registered(una);
        String order = OrderFixtures.paidOrder(who, 1500, 1).path("id");
        String support = AuthFixtures.support().accessToken();
        for (String to : List.of("fulfilled", "shipped", "delivered")) {
            given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("to", to)).post("/v1/admin/orders/" + order + "/transitions")
                    .then().statusCode(200);
        }
        String erasure = erasureOfAccount(una, who);
        io.restassured.response.Response filed = duringErasure("select 1 from orders where id = $1 for update", order,
                () -> given().auth().oauth2(who.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                        .body(Map.of("lines", List.of(Map.of("line_no", 1, "quantity", 1)), "resolution", "refund", "reason", "too small"))
                        .post("/v1/me/orders/" + order + "/returns"));
        assertEquals(201, filed.statusCode(), filed.asString());
        assertStatus(erasure, "rejected");
    }

    /**
     * A profile edit that reaches the account's row only after the erasure locked it finds the account gone: 401 (sign in
     * again: there is nobody to sign in as), as a checkout does, never a 404 or 409 the operation does not document.
     */
    @Test
    void P28_aProfileEditQueuedBehindTheErasure_isAnswered401_andTheErasureCompletes() throws Exception {
        Marks vic = Marks.fresh("Vic");
        SignedIn who = registered(vic);
        String erasure = erasureOfAccount(vic, who);
        io.restassured.response.Response edit = behindErasure("select 1 from account where id = $1 for update", who.accountId(),
                () -> given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON).body(Map.of("name", "Too Late"))
                        .patch("/v1/me"));
        assertEquals(401, edit.statusCode(), edit.asString());
        assertEquals("https://harmony.example/problems/unauthorized", edit.path("type"));
        assertStatus(erasure, "completed");
    }

    /**
     * A first add to the cart sent as the erasure runs: the cart's key to the account makes it wait for the account row,
     * so either the erasure takes the cart with the account or the add finds the account gone (401); no cart is left
     * holding the erased account's id.
     */
    @Test
    void P28_aCartWrittenWhileTheErasureRuns_neverOutlivesIt() throws Exception {
        Marks wes = Marks.fresh("Wes");
        SignedIn who = registered(wes);
        String variant = CartFixtures.variant(1500, 5);
        String erasure = erasureOfAccount(wes, who);
        io.restassured.response.Response added = behindErasure("select 1 from account where id = $1 for update", who.accountId(),
                () -> given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON).body(Map.of("variant_id", variant, "quantity", 1))
                        .post("/v1/me/cart/items"));
        assertTrue(added.statusCode() == 200 || added.statusCode() == 401, added.asString());
        assertStatus(erasure, "completed");
        long carts = pool.preparedQuery("select count(*) from cart where account_id = $1").execute(Tuple.of(UUID.fromString(who.accountId())))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertEquals(0, carts, "no cart keeps the erased account's id");
        given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON).body(Map.of("variant_id", variant, "quantity", 1))
                .post("/v1/me/cart/items").then().statusCode(401);
    }

    /** The request's status, as staff read it. */
    private static void assertStatus(String request, String status) {
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/privacy-requests/" + request).then().statusCode(200)
                .body("status", equalTo(status));
    }

    /** A customer registered from their own client address, signed in. */
    private static SignedIn registered(Marks m) {
        from(m).body(AuthFixtures.registration(m.email())).post("/v1/accounts").then().statusCode(202);
        return AuthFixtures.signIn(m.email(), AuthFixtures.PASSWORD);
    }

    /**
     * Holds the row, lets the erasure queue on it first and the write after it, then lets both go: the write runs
     * once the erasure has committed. Answers the write's response.
     */
    private io.restassured.response.Response behindErasure(String lockSql, String row, java.util.function.Supplier<io.restassured.response.Response> write)
            throws Exception {
        var started = holding(lockSql, row, () -> {
            var processing = java.util.concurrent.CompletableFuture.runAsync(this::processEverything);
            assertTrue(awaitLockWaiters(1), "the erasure waits on the held row");
            var written = java.util.concurrent.CompletableFuture.supplyAsync(write);
            assertTrue(awaitLockWaiters(2), "the write waits behind it");
            return Map.entry(written, processing);
        });
        started.getValue().get(120, java.util.concurrent.TimeUnit.SECONDS);
        return started.getKey().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Runs {@code whileHeld} with the row locked by a transaction of the test's own, rolled back after it. */
    private <T> T holding(String lockSql, String row, java.util.concurrent.Callable<T> whileHeld) throws Exception {
        io.vertx.mutiny.sqlclient.SqlConnection lock = pool.getConnection().await().atMost(Duration.ofSeconds(5));
        io.vertx.mutiny.sqlclient.Transaction tx = lock.begin().await().atMost(Duration.ofSeconds(5));
        try {
            lock.preparedQuery(lockSql).execute(Tuple.of(UUID.fromString(row))).await().atMost(Duration.ofSeconds(5));
            return whileHeld.call();
        } finally {
            tx.rollback().await().atMost(Duration.ofSeconds(5));
            lock.close().await().atMost(Duration.ofSeconds(5));
        }
    }

    private boolean awaitLockWaiters(long n) throws InterruptedException {
        for (long until = System.nanoTime() + 10_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
            long waiting = pool.query("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                    .execute().await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
            if (waiting >= n) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the write with the given row held by a transaction of the test's own, so it waits inside its transaction; runs
     * the confirmed erasure meanwhile for a second, as far as it gets; then lets the write go, and answers its response
     * once the erasure has run to its end.
     */
    private io.restassured.response.Response duringErasure(String lockSql, String row, java.util.function.Supplier<io.restassured.response.Response> write)
            throws Exception {
        var started = holding(lockSql, row, () -> {
            var written = java.util.concurrent.CompletableFuture.supplyAsync(write);
            assertTrue(awaitLockWaiters(1), "the write waits on the held row, not yet committed");
            var processing = java.util.concurrent.CompletableFuture.runAsync(this::processEverything);
            Thread.sleep(1000);
            return Map.entry(written, processing);
        });
        io.restassured.response.Response answer = started.getKey().get(30, java.util.concurrent.TimeUnit.SECONDS);
        started.getValue().get(120, java.util.concurrent.TimeUnit.SECONDS);
        return answer;
    }

    private long throttleRows(String[] keys) {
        return pool.preparedQuery("select count(*) from rate_limit where key = any($1)").execute(Tuple.of((Object) keys))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    @Test
    void P28_entriesGivenSignedOutUnderTheirEmail_goWithTheAccountsErasure_orARequestConfirmedFromThatEmail() {
        Marks cleo = Marks.fresh("Cleo");
        SignedIn account = customer(cleo, contest());
        enterSignedOut(cleo); // a browser never linked to her account
        Marks dan = Marks.fresh("Dan");
        enterSignedOut(dan); // then his cookie is gone: he asks from another browser, with the email he entered under
        String otherBrowser = from(dan).post("/v1/visitors").then().statusCode(201).extract().path("token");
        Marks eli = Marks.fresh("Eli");
        enterSignedOut(eli);
        assertTrue(hits(cleo).contains("contest_entry.email_key " + cleo.email()) && hits(dan).contains("contest_entry.email_key " + dan.email()));

        String cleos = erasureOfAccount(cleo, account);
        String dans = erasureFromBrowser(dan, otherBrowser);
        processEverything();

        String admin = AuthFixtures.admin().accessToken();
        for (String id : List.of(cleos, dans)) {
            given().auth().oauth2(admin).get("/v1/admin/privacy-requests/" + id).then().statusCode(200).body("status", equalTo("completed"))
                    .body("result.tables.find { it.table == 'contest_entry' }.rows", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        }
        assertEquals(List.of(), hits(cleo));
        assertEquals(List.of(), hits(dan));
        assertTrue(hits(eli).contains("contest_entry.email_key " + eli.email()), "another entrant's entry stays");
    }

    /**
     * What was left under an email by no account and no browser (feedback giving it as the contact, a copyright notice, a
     * lifted legal hold, a partner client naming it as contact, an export asked from a browser since cleared, and its
     * document) is the email's owner's: a request confirmed from it reaches it.
     */
    @Test
    void P28_whatWasLeftUnderAnEmailAlone_goesWithAnErasureConfirmedFromThatEmail_andOthersStay() {
        Marks fay = Marks.fresh("Fay");
        Marks gil = Marks.fresh("Gil");
        String admin = AuthFixtures.admin().accessToken();
        for (Marks m : List.of(fay, gil)) {
            from(m).body(Map.of("topic", "product", "message", "From " + m.name() + " of " + m.street(), "contact_email", m.email()))
                    .post("/v1/feedback").then().statusCode(201);
            from(m).body(Map.of("signature", m.name(), "copyrighted_work", "Photograph by " + m.name(),
                    "infringing_material", "The main image of a product", "infringing_urls", List.of("https://shop.example/products/x"),
                    "address", m.address(), "phone", m.phone(), "email", m.email(), "good_faith_statement", true, "accuracy_statement", true))
                    .post("/v1/copyright-notices").then().statusCode(202);
            String hold = given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("email", m.email(), "reason", "Claim about " + m.name())).post("/v1/admin/legal-holds")
                    .then().statusCode(201).extract().path("id");
            given().auth().oauth2(admin).delete("/v1/admin/legal-holds/" + hold).then().statusCode(200);
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", "Client of " + m.street(),
                    "contact_email", m.email(), "scopes", List.of("catalog:read"))).post("/v1/admin/partner-clients").then().statusCode(201);
            given().auth().oauth2(AuthFixtures.support().accessToken()).contentType(ContentType.JSON).body(Map.of("channel", "phone",
                    "reason", "product", "notes", "Asked about the mug, called from " + m.street(),
                    "caller", Map.of("name", m.name(), "phone", m.phone(), "email", m.email())))
                    .post("/v1/admin/support-contacts").then().statusCode(201).body("caller.email", equalTo(m.email()));
        }
        Map<String, UUID> exports = new HashMap<>();
        for (Marks m : List.of(fay, gil)) {
            String cleared = from(m).post("/v1/visitors").then().statusCode(201).extract().path("token");
            int seen = MailServer.messagesTo(m.email(), "Confirm your privacy request");
            from(m).header("X-Visitor-Token", cleared).body(Map.of("kind", "export", "email", m.email())).post("/v1/privacy-requests")
                    .then().statusCode(202);
            exports.put(m.email(), UUID.fromString(confirm(m.email(), seen)));
        }
        processEverything();
        for (UUID export : exports.values()) {
            assertEquals(1L, one("select count(*) from privacy_document where request_id = $1", export).getLong(0), "the export's document is ready");
        }
        String link = MailServer.tokenIn(MailServer.messageTo(fay.email(), "Your data export is ready"));
        Map<String, List<?>> exported = rowsByTable(given().contentType(ContentType.JSON).body(Map.of("token", link))
                .post("/v1/privacy-requests/downloads").then().statusCode(200).extract().jsonPath());
        assertEquals(1, exported.get("support_contact").size(), "the caller's contact, found by the email she left");
        assertTrue(exported.get("support_contact").toString().contains(fay.street()));
        List<String> before = hits(fay);
        for (String table : List.of("feedback.contact_email", "copyright_notice.email", "legal_hold.email", "partner_client.contact_email",
                "privacy_request.email", "support_contact.caller_email")) {
            assertTrue(before.contains(table + " " + fay.email()), table + " holds her email: " + before);
        }

        // an account gave her address as its feedback's contact: that feedback is the account's, not the address owner's
        SignedIn someone = AuthFixtures.customer();
        String theirs = given().auth().oauth2(someone.accessToken()).contentType(ContentType.JSON).body(Map.of("topic", "product",
                "message", "Signed in, please answer by email", "contact_email", fay.email())).post("/v1/feedback").then().statusCode(201)
                .extract().path("id");

        String browser = from(fay).post("/v1/visitors").then().statusCode(201).extract().path("token");
        int seen = MailServer.messagesTo(fay.email(), "Confirm your privacy request");
        from(fay).header("X-Visitor-Token", browser).body(Map.of("kind", "erasure", "email", fay.email())).post("/v1/privacy-requests")
                .then().statusCode(202);
        String id = confirm(fay.email(), seen);
        processEverything();
        assertEquals(0L, one("select count(*) from privacy_document where request_id = $1", exports.get(fay.email())).getLong(0),
                "the copy of her data in her earlier export went with the erasure");
        assertEquals(1L, one("select count(*) from privacy_document where request_id = $1", exports.get(gil.email())).getLong(0),
                "another person's export stays");
        given().auth().oauth2(admin).get("/v1/admin/privacy-requests/" + id).then().statusCode(200).body("status", equalTo("completed"));
        assertEquals(fay.email(), one("select contact_email from feedback where id = $1", UUID.fromString(theirs)).getString(0),
                "an account's own feedback stays, whatever address it gave");
        assertEquals(0L, one("select count(*) from feedback where lower(contact_email) = lower($1) and account_id is null", fay.email()).getLong(0),
                "her own feedback went");
        List<String> left = hits(fay).stream().filter(h -> !h.startsWith("partner_client.name") && !h.equals("feedback.contact_email " + fay.email()))
                .toList();
        assertEquals(List.of(), left, "nothing of hers is left under her email");
        List<String> his = hits(gil);
        for (String table : List.of("feedback.contact_email", "copyright_notice.email", "legal_hold.email", "partner_client.contact_email",
                "privacy_request.email", "support_contact.caller_email")) {
            assertTrue(his.contains(table + " " + gil.email()), "another person's stays: " + table);
        }
    }

    @Test
    void P29_anExportHoldsEveryMappedColumnOfEveryRowOfTheirs() {
        String contest = contest();
        Marks eve = Marks.fresh("Eve");
        SignedIn customer = customer(eve, contest);
        outbox.publishDue().await().atMost(Duration.ofSeconds(60));
        int seen = MailServer.messagesTo(eve.email(), "Confirm your privacy request");
        from(eve).auth().oauth2(customer.accessToken()).body(Map.of("kind", "export")).post("/v1/privacy-requests").then().statusCode(202);
        String id = confirm(eve.email(), seen);
        processEverything();
        JsonPath doc = given().auth().oauth2(customer.accessToken()).get("/v1/me/privacy-requests/" + id + "/document").then().statusCode(200)
                .extract().jsonPath();

        Map<String, Map<String, Object>> features = doc.getMap("features");
        List<String> tablesSeen = new ArrayList<>();
        features.forEach((feature, body) -> {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> tables = (Map<String, Map<String, Object>>) body.get("tables");
            tables.forEach((table, t) -> {
                tablesSeen.add(table);
                DataMap.Table mapped = MAP.table(table);
                assertEquals(feature, mapped.feature(), table + " is exported under its owner");
                Set<String> expected = Set.copyOf(mapped.columns().values().stream().filter(c -> !"credential".equals(c.dataClass()))
                        .map(DataMap.Column::name).toList());
                for (Object row : (List<?>) t.get("rows")) {
                    assertEquals(expected, ((Map<?, ?>) row).keySet(), table + ": every mapped column but credentials");
                }
            });
        });
        assertTrue(tablesSeen.containsAll(List.of("account", "account_address", "auth_session", "orders", "order_line", "order_return", "cart",
                "consent_event", "contest_entry", "feedback", "support_contact", "page_view", "affiliate", "idempotency_key", "privacy_request")),
                "the export covers every feature: " + tablesSeen);
        String text = doc.prettify();
        assertTrue(text.contains(eve.street()) && text.contains(eve.phone()) && text.contains(eve.name()));
    }

    @Test
    void P29_anExportCoversTheBrowserTheyUsedBeforeRegistering_eachTableOnce_andTheSummaryCountsIt() throws Exception {
        Marks kim = Marks.fresh("Kim");
        String contest = contest();
        String survey = given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("title", "How did we do?", "questions", List.of(Map.of("key", "score", "kind", "rating", "prompt", "Recommend us?",
                        "required", true))))
                .post("/v1/admin/surveys").then().statusCode(201).extract().path("id");
        // before registering, as a browser: cookie choices, a page view, a contest entry, a survey response, feedback
        String visitor = visitor(kim, contest, AffiliateFixtures.approvedAffiliate().code());
        from(kim).header("X-Visitor-Token", visitor).body(Map.of("name", kim.name(), "email", kim.email(), "adult_confirmed", true,
                "answers", Map.of("score", Map.of("rating", 4)))).post("/v1/surveys/" + survey + "/responses").then().statusCode(201);
        // registers, and signs in on the same browser: the visitor is linked to the account
        from(kim).body(AuthFixtures.registration(kim.email())).post("/v1/accounts").then().statusCode(202);
        String token = from(kim).header("X-Visitor-Token", visitor).body(Map.of("email", kim.email(), "password", AuthFixtures.PASSWORD))
                .post("/v1/auth/sign-in").then().statusCode(200).extract().path("access_token");
        from(kim).auth().oauth2(token).body(Map.of("analytics", true)).patch("/v1/me/consents").then().statusCode(200);
        // sent signed in from that browser, the page view leads to both the account and the visitor: it is exported once
        from(kim).auth().oauth2(token).header("X-Visitor-Token", visitor).body(Map.of("path", "/products/shoes")).post("/v1/page-views")
                .then().statusCode(204);
        from(kim).auth().oauth2(token).body(Map.of("topic", "product", "message", "Signed in now")).post("/v1/feedback").then().statusCode(201);
        outbox.publishDue().await().atMost(Duration.ofSeconds(60));

        int seen = MailServer.messagesTo(kim.email(), "Confirm your privacy request");
        String export = from(kim).auth().oauth2(token).body(Map.of("kind", "export")).post("/v1/privacy-requests").then().statusCode(202)
                .extract().path("id");
        confirm(kim.email(), seen);
        String access = from(kim).auth().oauth2(token).body(Map.of("kind", "access")).post("/v1/privacy-requests").then().statusCode(202)
                .extract().path("id");
        confirm(kim.email(), seen + 1);
        processEverything();

        String raw = given().auth().oauth2(token).get("/v1/me/privacy-requests/" + export + "/document").then().statusCode(200).extract().asString();
        // one key per table, whichever of the person's identities the rows came from
        new com.fasterxml.jackson.databind.ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(raw);
        Map<String, List<?>> rows = rowsByTable(JsonPath.from(raw));
        assertEquals(2, rows.get("page_view").size(), "the page views before and after registering: " + rows.keySet());
        assertEquals(2, rows.get("feedback").size());
        for (String table : List.of("visitor", "contest_entry", "survey_response")) {
            assertEquals(1, rows.getOrDefault(table, List.of()).size(), table + " of the browser they used before registering");
        }
        assertTrue(rows.get("consent_event").size() >= 2, "the browser's cookie choice and the account's consents");

        JsonPath summary = given().auth().oauth2(token).get("/v1/me/privacy-requests/" + access + "/document").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, summary.getInt("records.find { it.table == 'page_view' }.count"));
        assertEquals(1, summary.getInt("records.find { it.table == 'survey_response' }.count"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<?>> rowsByTable(JsonPath doc) {
        Map<String, List<?>> rows = new HashMap<>();
        Map<String, Map<String, Object>> features = doc.getMap("features");
        features.values().forEach(f -> ((Map<String, Map<String, Object>>) f.get("tables")).forEach((t, body) -> rows.put(t, (List<?>) body.get("rows"))));
        return rows;
    }

    /**
     * Two account holders typed one address at checkout (a family's shared mailbox): whoever proves one of the orders with
     * that address is the buyer of that account's orders under it, not of the other account's, whose holder typed it too.
     */
    @Test
    void P13_P28_aGuestBuyersExportAndErasureReachTheProvenOrdersAccountOnly_notAnotherAccountsOrdersUnderTheSameEmail() {
        Marks shared = Marks.fresh("Sam");
        Marks mop = Marks.fresh("Mop");
        Marks other = new Marks(shared.email(), mop.name(), mop.phone(), mop.street(), mop.ip());
        SignedIn first = AuthFixtures.customer();
        SignedIn second = AuthFixtures.customer();
        String proven = guestOrder(shared, first);
        String mine = guestOrder(shared, first);
        String theirs = guestOrder(other, second);
        // the other buyer's own doings under the shared address: a guest return of their order and a guest export proving it
        String theirReturn = from(other).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("order_number", theirs, "email", shared.email(), "postal_code", "62701", "reason", "Sent by " + other.name(),
                        "lines", List.of(Map.of("line_no", 1, "quantity", 1)), "resolution", "refund"))
                .post("/v1/returns").then().statusCode(201).extract().path("id");
        int seen = MailServer.messagesTo(shared.email(), "Confirm your privacy request");
        from(other).body(Map.of("kind", "export", "email", shared.email(), "order_number", theirs, "postal_code", "62701"))
                .post("/v1/privacy-requests").then().statusCode(202);
        UUID theirExport = UUID.fromString(confirm(shared.email(), seen));
        processEverything();

        // legal holds on the other account that also name the shared address: one lifted, one in force
        String legal = AuthFixtures.withRoles("legal").accessToken();
        String liftedHold = given().auth().oauth2(legal).contentType(ContentType.JSON).body(Map.of("account_id", second.accountId(),
                "email", shared.email(), "reason", "Claim against " + other.name())).post("/v1/admin/legal-holds").then().statusCode(201)
                .extract().path("id");
        given().auth().oauth2(legal).delete("/v1/admin/legal-holds/" + liftedHold).then().statusCode(200);
        String activeHold = given().auth().oauth2(legal).contentType(ContentType.JSON).body(Map.of("account_id", second.accountId(),
                "email", shared.email(), "reason", "Subpoena naming " + other.name())).post("/v1/admin/legal-holds").then().statusCode(201)
                .extract().path("id");

        seen = MailServer.messagesTo(shared.email(), "Confirm your privacy request");
        from(shared).body(Map.of("kind", "export", "email", shared.email(), "order_number", proven, "postal_code", "62701"))
                .post("/v1/privacy-requests").then().statusCode(202);
        confirm(shared.email(), seen);
        int ready = MailServer.messagesTo(shared.email(), "Your data export is ready");
        processEverything();
        String token = MailServer.tokenIn(MailServer.nextMessageTo(shared.email(), "Your data export is ready", ready));
        String export = given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/v1/privacy-requests/downloads")
                .then().statusCode(200).extract().asString();
        assertTrue(export.contains(proven) && export.contains(mine), "the proven order and its account's other order under the email");
        assertFalse(export.contains(theirs), "another account's order under the same email is not in the export");
        for (String value : List.of(other.name(), other.street(), other.phone(), second.accountId(), theirReturn, theirExport.toString(),
                liftedHold, activeHold)) {
            assertFalse(export.contains(value), "nothing of the other account holder's order, return, request or holds: " + value);
        }

        seen = MailServer.messagesTo(shared.email(), "Confirm your privacy request");
        from(shared).body(Map.of("kind", "erasure", "email", shared.email(), "order_number", proven, "postal_code", "62701"))
                .post("/v1/privacy-requests").then().statusCode(202);
        confirm(shared.email(), seen);
        processEverything();
        for (String hold : List.of(liftedHold, activeHold)) {
            Row h = one("select account_id::text, email, reason from legal_hold where id = $1", UUID.fromString(hold));
            assertEquals(second.accountId(), h.getString(0), "another account's hold is left as it was (and stops nothing here)");
            assertEquals(shared.email(), h.getString(1));
            assertTrue(h.getString(2).contains(other.name()));
        }
        for (String number : List.of(proven, mine)) {
            Row erased = one("select email, ship_name from orders where number = $1", number);
            assertTrue(erased.getString("email").endsWith("@erased.invalid"), number + " lost the email");
            assertEquals("", erased.getString("ship_name"));
        }
        Row kept = one("select email, ship_name, ship_line1 from orders where number = $1", theirs);
        assertEquals(shared.email(), kept.getString("email"), "the other account's order keeps its email");
        assertEquals(other.name(), kept.getString("ship_name"));
        assertEquals(other.street(), kept.getString("ship_line1"));
        String theirsId = given().auth().oauth2(second.accessToken()).get("/v1/me/orders").then().statusCode(200)
                .extract().path("data.find { it.number == '" + theirs + "' }.id");
        given().auth().oauth2(second.accessToken()).get("/v1/me/orders/" + theirsId).then().statusCode(200)
                .body("email", equalTo(shared.email())).body("shipping_address.line1", equalTo(other.street()));
        assertEquals(shared.email(), one("select verifier_email from order_return where id = $1", UUID.fromString(theirReturn)).getString(0),
                "their guest return keeps its verification");
        assertEquals(shared.email(), one("select email from privacy_request where id = $1", theirExport).getString(0), "their request stays theirs");
        assertEquals(1L, one("select count(*) from privacy_document where request_id = $1", theirExport).getLong(0), "with its document");
        assertTrue(one("select count(*) from idempotency_key where scope = $1", "account:" + second.accountId()).getLong(0) > 0,
                "their checkout's stored answer stays, so a retry of it is still answered, not placed again");
    }

    /** A hold on the account that placed the proven order stops a guest buyer's erasure of it, without telling its reason. */
    @Test
    void P28_aHoldOnTheAccountThatPlacedTheProvenOrder_stopsTheGuestBuyersErasure_withoutItsReason() {
        Marks hal = Marks.fresh("Hal");
        SignedIn holder = AuthFixtures.customer();
        String number = guestOrder(hal, holder);
        String reason = "Subpoena naming the holder " + holder.email();
        given().auth().oauth2(AuthFixtures.withRoles("legal").accessToken()).contentType(ContentType.JSON)
                .body(Map.of("account_id", holder.accountId(), "reason", reason)).post("/v1/admin/legal-holds").then().statusCode(201);
        int seen = MailServer.messagesTo(hal.email(), "Confirm your privacy request");
        from(hal).body(Map.of("kind", "erasure", "email", hal.email(), "order_number", number, "postal_code", "62701"))
                .post("/v1/privacy-requests").then().statusCode(202);
        String id = confirm(hal.email(), seen);
        processEverything();
        String told = given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/privacy-requests/" + id).then().statusCode(200)
                .body("status", equalTo("rejected")).extract().path("reason");
        assertTrue(told.contains("a hold on the account that placed the order"), told);
        assertFalse(told.contains(holder.email()), "the account's hold reason is not the guest buyer's to read: " + told);
        assertEquals(hal.email(), one("select email from orders where number = $1", number).getString(0), "nothing was erased");
    }

    /** A request a customer filed as the guest buyer of their own order, under another address, goes with their account's erasure. */
    @Test
    void P28_aRequestFiledAsTheGuestBuyerOfTheirOwnOrderUnderAnotherAddress_goesWithTheAccountsErasure() {
        Marks kay = Marks.fresh("Kay");
        Marks orders = Marks.fresh("Kay");
        SignedIn account = AuthFixtures.customer();
        Marks asOrdered = new Marks(orders.email(), kay.name(), kay.phone(), kay.street(), kay.ip());
        String number = guestOrder(asOrdered, account);
        int seen = MailServer.messagesTo(orders.email(), "Confirm your privacy request");
        from(asOrdered).body(Map.of("kind", "export", "email", orders.email(), "order_number", number, "postal_code", "62701"))
                .post("/v1/privacy-requests").then().statusCode(202);
        UUID export = UUID.fromString(confirm(orders.email(), seen));
        processEverything();
        assertEquals(1L, one("select count(*) from privacy_document where request_id = $1", export).getLong(0));

        seen = MailServer.messagesTo(account.email(), "Confirm your privacy request");
        given().auth().oauth2(account.accessToken()).delete("/v1/me").then().statusCode(202);
        confirm(account.email(), seen);
        processEverything();
        assertEquals(0L, one("select count(*) from privacy_document where request_id = $1", export).getLong(0), "its copy of the order went");
        assertTrue(one("select email from privacy_request where id = $1", export).getString(0).endsWith("@erased.invalid"));
        assertEquals(List.of(), hits(asOrdered), "nothing of the order's address, name, phone or street is left");
    }

    // ------------------------------------------------------------------ the scan

    /** Every text and JSON column of every table holding any of the person's values, as "table.column value". */
    private List<String> hits(Marks m) {
        List<Row> columns = rows("""
                select table_name, column_name from information_schema.columns
                where table_schema = current_schema() and table_name not like 'flyway%'
                  and data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'inet')""");
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        columns.forEach(c -> byTable.computeIfAbsent(c.getString(0), t -> new ArrayList<>()).add(c.getString(1)));
        List<String> found = new ArrayList<>();
        byTable.forEach((table, cols) -> {
            for (String col : cols) {
                for (String value : m.values()) {
                    long n = rows("select count(*) from " + table + " where position(lower($1) in lower(" + col + "::text)) > 0", value).get(0).getLong(0);
                    if (n > 0) {
                        found.add(table + "." + col + " " + value);
                    }
                }
            }
        });
        return found;
    }

    private List<Row> rows(String sql, Object... params) {
        List<Row> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(30)).forEach(out::add);
        return out;
    }

    private Row one(String sql, Object... params) {
        return rows(sql, params).get(0);
    }
}
