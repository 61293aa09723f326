package com.harmony.privacy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.platform.DataMap;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The public data map (P1, P28): anyone can read what is kept, why, from whom, who receives it and for how long. */
@QuarkusTest
class PublicDataMapTest {

    private static final String PATH = "/v1/privacy/data-map";

    private static String record(String feature, String table) {
        return "features.find { it.feature == '" + feature + "' }.records.find { it.table == '" + table + "' }";
    }

    @Test
    void P1_P28_publicDataMapDescribesWhatWhyWhoAndHowLong() {
        Response response = given().get(PATH).then().statusCode(200).contentType("application/json").header("ETag", notNullValue())
                .extract().response();
        JsonPath map = response.jsonPath();

        // the account's email is contact data, kept until erasure, given under a contract by a customer
        String account = record("account", "account");
        assertTrue(map.getList(account + ".collected.find { it.kind == 'contact' }.fields.name").contains("email"));
        assertEquals("until_erasure", map.getString(account + ".retention.period"));
        assertEquals(List.of("customer"), map.getList(account + ".from_whom"));
        assertEquals(List.of("contract"), map.getList(account + ".legal_basis"));
        assertEquals("delete_row", map.getString(account + ".on_erasure"));
        assertTrue(map.getList(account + ".recipients").contains("marketing_partner"));
        assertEquals("Password (Argon2 digest)", map.getString(account + ".collected.find { it.kind == 'credential' }.fields[0].label"));

        // page views: with consent, kept 90 days by a purge that runs today
        String views = record("analytics", "page_view");
        assertEquals("P90D", map.getString(views + ".retention.period"));
        assertEquals("viewed", map.getString(views + ".retention.from"));
        assertTrue(map.getBoolean(views + ".retention.enforced"));
        assertEquals(List.of("consent"), map.getList(views + ".legal_basis"));
        assertEquals(List.of("visitor", "customer"), map.getList(views + ".from_whom"));

        // orders: kept seven years for tax, and on erasure kept with the identity removed
        String orders = record("order", "orders");
        assertEquals("keep_anonymised", map.getString(orders + ".on_erasure"));
        assertTrue(map.getString(orders + ".erasure_note").contains("tax"));
        assertTrue(map.getList(orders + ".legal_basis").contains("legal_obligation"));
        assertEquals("P7Y", map.getString(orders + ".retention.period"));
        assertEquals("order_placed", map.getString(orders + ".retention.from"));
        assertEquals(List.of("payment_provider", "carrier"), map.getList(orders + ".recipients"));
        assertEquals("Card last four digits",
                map.getString(orders + ".collected.find { it.kind == 'payment' }.fields.find { it.name == 'card_last4' }.label"));
        assertEquals("Shipping postal code",
                map.getString(orders + ".collected.find { it.kind == 'contact' }.fields.find { it.name == 'ship_postal_code' }.label"));

        // a field removed before its record says so: a referral visit's IP address goes after 30 days
        String visits = record("affiliate", "referral_visit");
        assertEquals("P30D", map.getString(visits + ".collected.find { it.kind == 'network' }.fields.find { it.name == 'ip' }.retention.period"));
        assertEquals("P2Y", map.getString(visits + ".retention.period"));
        assertTrue(map.getBoolean(visits + ".retention.enforced"), "the retention run deletes visits after two years");

        // free text says what may be inside it
        assertEquals(List.of("subject", "identity", "contact", "payment", "behaviour", "credential"), map.getList(
                record("platform", "idempotency_key") + ".collected.find { it.kind == 'contact' }.fields.find { it.name == 'response_body' }.may_contain"));

        // the words used are explained
        assertTrue(map.getString("glossary.kinds_of_data.contact").contains("email"));
        assertTrue(map.getString("glossary.recipients.carrier").contains("delivery"));
        assertTrue(map.getString("glossary.legal_bases.legal_obligation").contains("tax"));

        // nothing without personal data is listed, and no field without personal data
        assertNull(map.get("features.find { it.feature == 'catalog' }"));
        assertFalse(map.getList("features.records.flatten().collected.flatten().kind").contains("none"));
    }

    @Test
    void P1_everyTableWithPersonalDataIsDescribedOnceFromTheSameMap() {
        JsonPath map = given().get(PATH).then().statusCode(200).extract().jsonPath();
        List<String> listed = map.getList("features.records.flatten().table");
        assertEquals(listed.size(), new TreeSet<>(listed).size(), "each table once");
        TreeSet<String> personal = new TreeSet<>();
        DataMap.load().definitions().values().stream().filter(DataMap.Table::personal).forEach(t -> personal.add(t.name()));
        assertEquals(personal, new TreeSet<>(listed));
        for (Map<String, Object> record : map.<Map<String, Object>>getList("features.records.flatten()")) {
            String table = (String) record.get("table");
            assertNotBlank(table, record.get("record"), "record");
            assertNotBlank(table, record.get("purpose"), "purpose");
            assertFalse(((List<?>) record.get("from_whom")).isEmpty(), table + ": from_whom");
            assertFalse(((List<?>) record.get("legal_basis")).isEmpty(), table + ": legal_basis");
            assertFalse(((List<?>) record.get("collected")).isEmpty(), table + ": collected");
            assertNotBlank(table, ((Map<?, ?>) record.get("retention")).get("period"), "retention period");
            assertNotBlank(table, record.get("on_erasure"), "on_erasure");
        }
    }

    private static void assertNotBlank(String table, Object value, String what) {
        assertTrue(value instanceof String s && !s.isBlank(), table + ": " + what);
    }

    @Test
    void P1_anUnchangedDataMapIsANotModified() {
        String tag = given().get(PATH).then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", tag).get(PATH).then().statusCode(304).body(emptyString());
        given().header("If-None-Match", "\"something-else\"").get(PATH).then().statusCode(200).header("ETag", tag);
    }
}
