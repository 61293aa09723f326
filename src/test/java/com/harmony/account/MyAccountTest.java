package com.harmony.account;

import static com.harmony.AuthFixtures.address;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** My Account (P10): profile and address book, only ever one's own. */
@QuarkusTest
class MyAccountTest {

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    private static RequestSpecification as(SignedIn s) {
        return given().auth().oauth2(s.accessToken()).contentType(ContentType.JSON);
    }

    /**
     * Reading a profile takes one pool connection at a time: a burst of readers larger than the pool
     * (16 in tests) all get their answer. When the consents were read while the Hibernate session still
     * held its connection, every connection ended up held by a request waiting for a second one.
     */
    @Test
    void P10_aBurstOfProfileReadsLargerThanThePoolAllAnswer() throws Exception {
        SignedIn me = AuthFixtures.customer();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(64);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 192; i++) {
                answers.add(threads.submit(() -> given().auth().oauth2(me.accessToken()).get("/v1/me").statusCode()));
            }
            for (var answer : answers) {
                org.junit.jupiter.api.Assertions.assertEquals(200, answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void P10_P29_profileUpdatesChangeOnlyWhatIsSent() {
        SignedIn me = AuthFixtures.customer();
        as(me).body(Map.of("name", "Ada King", "interests", List.of("kitchen", "bedding"))).patch("/v1/me").then().statusCode(200)
                .body("name", equalTo("Ada King"))
                .body("phone", equalTo("+1 217 555 0100"))
                .body("interests", contains("kitchen", "bedding"));
        as(me).body(Map.of("roles", List.of("admin"))).patch("/v1/me").then().statusCode(400);
        as(me).body(Map.of("email", "new@example.com")).patch("/v1/me").then().statusCode(400);
        as(me).get("/v1/me").then().body("roles", contains("customer"));
    }

    /** A phone given can be taken away again (P10): an empty string removes it. */
    @Test
    void P10_aPhoneIsRemovedWithAnEmptyString() {
        SignedIn me = AuthFixtures.customer();
        as(me).body(Map.of("phone", "call me")).patch("/v1/me").then().statusCode(400).body("errors[0].field", equalTo("phone"));
        as(me).body(Map.of("phone", "")).patch("/v1/me").then().statusCode(200).body("phone", org.hamcrest.Matchers.nullValue());
        as(me).get("/v1/me").then().body("phone", org.hamcrest.Matchers.nullValue());
        as(me).body(Map.of("phone", "(217) 555-0111")).patch("/v1/me").then().statusCode(200).body("phone", equalTo("(217) 555-0111"));
    }

    @Test
    void myAccountReadsCarryAnETag() {
        SignedIn me = AuthFixtures.customer();
        String etag = as(me).get("/v1/me").then().statusCode(200).header("ETag", notNullValue()).extract().header("ETag");
        as(me).header("If-None-Match", etag).get("/v1/me").then().statusCode(304);
    }

    /** Two tabs edit one profile: the write over a version the other tab has replaced is 412, and keeps nothing of it. */
    @Test
    void P10_aProfileWriteOverAStaleETag_is412_andTheOtherTabsChangeStands() {
        SignedIn me = AuthFixtures.customer();
        String read = as(me).get("/v1/me").then().statusCode(200).extract().header("ETag");
        String written = as(me).header("If-Match", read).body(Map.of("name", "Tab One")).patch("/v1/me").then().statusCode(200)
                .body("name", equalTo("Tab One")).header("ETag", notNullValue()).extract().header("ETag");
        org.junit.jupiter.api.Assertions.assertNotEquals(read, written);
        as(me).get("/v1/me").then().statusCode(200).header("ETag", equalTo(written));

        as(me).header("If-Match", read).body(Map.of("name", "Tab Two", "phone", "+1 217 555 0199")).patch("/v1/me").then().statusCode(412)
                .contentType("application/problem+json").body("type", equalTo("https://harmony.example/problems/precondition-failed"));
        as(me).header("If-Match", "W/" + written).body(Map.of("name", "Tab Two")).patch("/v1/me").then().statusCode(412);
        as(me).header("If-Match", "").body(Map.of("name", "Tab Two")).patch("/v1/me").then().statusCode(412); // names no version
        as(me).get("/v1/me").then().statusCode(200).header("ETag", equalTo(written))
                .body("name", equalTo("Tab One")).body("phone", equalTo("+1 217 555 0100"));

        // the answer's tag is good for the next write; "*" (any version) and no If-Match write unconditionally
        String next = as(me).header("If-Match", written).body(Map.of("name", "Tab One Again")).patch("/v1/me").then().statusCode(200)
                .extract().header("ETag");
        as(me).header("If-Match", "\"other\", " + next).body(Map.of("phone", "+1 217 555 0123")).patch("/v1/me").then().statusCode(200);
        as(me).header("If-Match", "*").body(Map.of("name", "Ada")).patch("/v1/me").then().statusCode(200).body("name", equalTo("Ada"));
    }

    /** A write that changes nothing (the same name again, or no field) leaves the profile's ETag as it was. */
    @Test
    void P10_aProfileWriteThatChangesNothing_keepsTheETag() {
        SignedIn me = AuthFixtures.customer();
        io.restassured.response.Response read = as(me).get("/v1/me");
        String tag = read.header("ETag");
        as(me).header("If-Match", tag).body(Map.of("name", read.path("name"))).patch("/v1/me").then().statusCode(200).header("ETag", equalTo(tag));
        as(me).header("If-Match", tag).body(Map.of()).patch("/v1/me").then().statusCode(200).header("ETag", equalTo(tag));
        as(me).get("/v1/me").then().header("ETag", equalTo(tag)).body("updated_at", equalTo(read.path("updated_at")));
    }

    /** A marketing choice changed in another tab changes the profile's tag too: a write over the older one is 412. */
    @Test
    void P10_aMarketingChoiceChangedSinceTheRead_makesTheProfileWrite412() {
        SignedIn me = AuthFixtures.customer();
        String read = as(me).get("/v1/me").then().statusCode(200).extract().header("ETag");
        boolean email = as(me).get("/v1/me").then().extract().path("marketing.email");
        as(me).body(Map.of("marketing_email", !email)).patch("/v1/me/consents").then().statusCode(200);
        as(me).header("If-Match", read).body(Map.of("name", "Stale Tab")).patch("/v1/me").then().statusCode(412);
        as(me).get("/v1/me").then().body("name", org.hamcrest.Matchers.not(equalTo("Stale Tab"))).body("marketing.email", is(!email));
    }

    /**
     * A marketing choice made in another tab while a profile write waits for the account's row (held here as a slow
     * writer would hold it): the write compares its If-Match once it has the row, with the choices as they are then,
     * so it is 412 and writes nothing. When it compared before waiting, it wrote over a version the tab never saw.
     */
    @Test
    void P10_aMarketingChoiceMadeWhileTheProfileWriteWaitsForTheRow_makesIt412() throws Exception {
        SignedIn me = AuthFixtures.customer();
        String read = as(me).get("/v1/me").then().statusCode(200).extract().header("ETag");
        boolean email = as(me).get("/v1/me").then().extract().path("marketing.email");
        io.vertx.mutiny.sqlclient.SqlConnection holder = pool.getConnection().await().atMost(java.time.Duration.ofSeconds(5));
        io.vertx.mutiny.sqlclient.Transaction tx = holder.begin().await().atMost(java.time.Duration.ofSeconds(5));
        java.util.concurrent.CompletableFuture<io.restassured.response.Response> write;
        try {
            holder.preparedQuery("select 1 from account where id = $1 for no key update")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(java.util.UUID.fromString(me.accountId()))).await().atMost(java.time.Duration.ofSeconds(5));
            write = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> as(me).header("If-Match", read).body(Map.of("name", "Waiting Tab")).patch("/v1/me"));
            awaitLockWaiter();
            as(me).body(Map.of("marketing_email", !email)).patch("/v1/me/consents").then().statusCode(200);
        } finally {
            tx.rollback().await().atMost(java.time.Duration.ofSeconds(5));
            holder.close().await().atMost(java.time.Duration.ofSeconds(5));
        }
        io.restassured.response.Response answer = write.get(30, java.util.concurrent.TimeUnit.SECONDS);
        org.junit.jupiter.api.Assertions.assertEquals(412, answer.statusCode(), answer.asString());
        as(me).get("/v1/me").then().body("name", org.hamcrest.Matchers.not(equalTo("Waiting Tab"))).body("marketing.email", is(!email));
    }

    private void awaitLockWaiter() throws InterruptedException {
        for (long until = System.nanoTime() + 10_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
            long waiting = pool.query("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                    .execute().await().atMost(java.time.Duration.ofSeconds(5)).iterator().next().getLong(0);
            if (waiting > 0) {
                return;
            }
        }
        org.junit.jupiter.api.Assertions.fail("the profile write never waited for the held row");
    }

    /** Ten writes sent at once over one read version: one applies, the other nine are 412, none overwrites it. */
    @Test
    void P10_aBurstOfProfileWritesOverOneVersion_appliesExactlyOne() throws Exception {
        SignedIn me = AuthFixtures.customer();
        String read = as(me).get("/v1/me").then().statusCode(200).extract().header("ETag");
        List<io.restassured.response.Response> answers = com.harmony.Bursts.of(10,
                i -> as(me).header("If-Match", read).body(Map.of("name", "Writer " + i)).patch("/v1/me"));
        List<String> applied = new java.util.ArrayList<>();
        for (io.restassured.response.Response r : answers) {
            if (r.statusCode() == 200) {
                applied.add(r.path("name"));
            } else {
                org.junit.jupiter.api.Assertions.assertEquals(412, r.statusCode(), r.asString());
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(1, applied.size(), "exactly one write over the version read applies");
        as(me).get("/v1/me").then().body("name", equalTo(applied.get(0)));
    }

    /** The book is read whole, so it has a size: past 50 addresses an add is 409, also when a burst of adds arrives at once. */
    @Test
    void P10_theAddressBookHoldsFiftyAddresses_evenAgainstABurstOfAdds() throws Exception {
        SignedIn me = AuthFixtures.customer(); // registered with one address
        for (int i = 2; i <= 45; i++) {
            Map<String, Object> a = new HashMap<>(address());
            a.put("line1", i + " Many Street");
            as(me).body(Map.of("address", a)).post("/v1/me/addresses").then().statusCode(201);
        }
        List<io.restassured.response.Response> burst = com.harmony.Bursts.of(10, i -> {
            Map<String, Object> a = new HashMap<>(address());
            a.put("line1", (100 + i) + " Burst Street");
            return as(me).body(Map.of("address", a)).post("/v1/me/addresses");
        });
        org.junit.jupiter.api.Assertions.assertEquals(5, burst.stream().filter(r -> r.statusCode() == 201).count());
        for (io.restassured.response.Response r : burst) {
            if (r.statusCode() != 201) {
                r.then().statusCode(409).contentType("application/problem+json")
                        .body("type", equalTo("https://harmony.example/problems/address-book-full"));
            }
        }
        as(me).get("/v1/me/addresses").then().body("data", hasSize(50));
    }

    @Test
    void P10_addressBookKeepsOneDefaultOfEachKind() {
        SignedIn me = AuthFixtures.customer();
        Map<String, Object> second = new HashMap<>(address());
        second.put("line1", "1 Second Street");
        String id = as(me).body(Map.of("address", second, "default_shipping", true)).post("/v1/me/addresses").then().statusCode(201)
                .body("default_shipping", is(true)).body("default_billing", is(false)).extract().path("id");
        as(me).get("/v1/me/addresses").then().statusCode(200).body("data", hasSize(2))
                .body("data.findAll { it.default_shipping }", hasSize(1))
                .body("data.find { it.default_shipping }.id", equalTo(id))
                .body("data.findAll { it.default_billing }", hasSize(1));
        as(me).body(Map.of("default_billing", true)).patch("/v1/me/addresses/" + id).then().statusCode(200).body("default_billing", is(true));
        as(me).get("/v1/me/addresses").then().body("data.findAll { it.default_billing }", hasSize(1));
        Map<String, Object> moved = new HashMap<>(second);
        moved.put("city", "Shelbyville");
        as(me).body(Map.of("address", moved)).patch("/v1/me/addresses/" + id).then().statusCode(200).body("address.city", equalTo("Shelbyville"));
        as(me).delete("/v1/me/addresses/" + id).then().statusCode(204);
        as(me).get("/v1/me/addresses").then().body("data", hasSize(1));
    }

    /** A carrier prints each line on a label and reads them from a file: a line break or tab in one would split or shift it. */
    @Test
    void anAddressLineWithALineBreakOrTab_isRefusedAndNothingIsStored() {
        SignedIn me = AuthFixtures.customer();
        for (Map.Entry<String, String> bad : Map.of("line1", "12 Analytical\nWay", "city", "Spring\rfield", "name", "Ada\tLovelace",
                "line2", "Apt\n2").entrySet()) {
            Map<String, Object> address = new HashMap<>(address());
            address.put(bad.getKey(), bad.getValue());
            as(me).body(Map.of("address", address)).post("/v1/me/addresses").then().statusCode(400)
                    .body("type", equalTo("https://harmony.example/problems/validation-failed"))
                    .body("errors[0].field", equalTo("address." + bad.getKey()));
        }
        as(me).get("/v1/me/addresses").then().body("data", hasSize(1));
    }

    @Test
    void anotherCustomersAddressIsNotFound() {
        SignedIn owner = AuthFixtures.customer();
        SignedIn other = AuthFixtures.customer();
        String id = as(owner).get("/v1/me/addresses").then().extract().path("data[0].id");
        as(other).body(Map.of("default_billing", true)).patch("/v1/me/addresses/" + id).then().statusCode(404);
        as(other).delete("/v1/me/addresses/" + id).then().statusCode(404);
        as(owner).get("/v1/me/addresses").then().body("data", hasSize(1));
    }

    @Test
    void myAccountNeedsSigningIn() {
        given().get("/v1/me").then().statusCode(401);
        given().get("/v1/me/addresses").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).patch("/v1/me").then().statusCode(401);
    }
}
