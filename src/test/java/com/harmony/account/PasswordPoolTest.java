package com.harmony.account;

import static com.harmony.AuthFixtures.PASSWORD;
import static com.harmony.AuthFixtures.registration;
import static com.harmony.AuthFixtures.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Argon2id is costly on purpose, so its pool is bounded: a flood of registrations answers 503 with
 * Retry-After once the queue is full, and sign-in keeps a share of the pool (the test profile allows
 * 16 waiting hashes, 8 of them kept for sign-in).
 */
@QuarkusTest
class PasswordPoolTest {

    @Test
    void P24_aFloodOfRegistrationsIsTurnedAwayWith503_whileSignInGoesOn() throws Exception {
        String email = uniqueEmail();
        AuthFixtures.submitRegistration(email);
        ExecutorService flood = Executors.newFixedThreadPool(64);
        try {
            List<Future<Response>> registrations = new ArrayList<>();
            for (int i = 0; i < 96; i++) {
                registrations.add(flood.submit(() -> given().contentType(ContentType.JSON).header("X-Forwarded-For", AuthFixtures.randomClient())
                        .body(registration(uniqueEmail())).post("/v1/accounts").thenReturn()));
            }
            Thread.sleep(100);
            for (int i = 0; i < 3; i++) {
                given().contentType(ContentType.JSON).header("X-Forwarded-For", AuthFixtures.randomClient())
                        .body(Map.of("email", email, "password", PASSWORD)).post("/v1/auth/sign-in").then().statusCode(200);
            }
            int busy = 0;
            for (Future<Response> f : registrations) {
                Response r = f.get(120, TimeUnit.SECONDS);
                if (r.statusCode() == 503) {
                    busy++;
                    assertEquals("https://harmony.example/problems/busy", r.path("type"));
                    assertNotNull(r.header("Retry-After"));
                } else {
                    assertEquals(202, r.statusCode(), r.asString());
                }
            }
            assertTrue(busy > 0, "the bounded queue turned part of the flood away");
        } finally {
            flood.shutdownNow();
        }
    }

    @Test
    void P24_registrationsTurnedAwayAsBusy_doNotUseUpTheirAddressesHourlyAllowance() throws Exception {
        int perAddress = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("harmony.auth.throttle.registrations-per-ip", Integer.class);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            addresses.add(AuthFixtures.uniqueClient());
        }
        ExecutorService flood = Executors.newFixedThreadPool(64);
        Map<String, Integer> busyPerAddress = new java.util.HashMap<>();
        try {
            Map<Future<Response>, String> sent = new java.util.LinkedHashMap<>();
            for (int n = 0; n < perAddress; n++) {
                for (String address : addresses) {
                    sent.put(flood.submit(() -> given().contentType(ContentType.JSON).header("X-Forwarded-For", address)
                            .body(registration(uniqueEmail())).post("/v1/accounts").thenReturn()), address);
                }
            }
            for (Map.Entry<Future<Response>, String> e : sent.entrySet()) {
                Response r = e.getKey().get(120, TimeUnit.SECONDS);
                assertTrue(r.statusCode() == 202 || r.statusCode() == 503, r.asString());
                if (r.statusCode() == 503) {
                    busyPerAddress.merge(e.getValue(), 1, Integer::sum);
                }
            }
        } finally {
            flood.shutdownNow();
        }
        assertTrue(!busyPerAddress.isEmpty(), "the flood filled the hash queue");
        // each address may now register as many times as it was turned away: those attempts were never counted
        busyPerAddress.forEach((address, busy) -> {
            for (int i = 0; i < busy; i++) {
                given().contentType(ContentType.JSON).header("X-Forwarded-For", address).body(registration(uniqueEmail()))
                        .post("/v1/accounts").then().statusCode(202);
            }
            given().contentType(ContentType.JSON).header("X-Forwarded-For", address).body(registration(uniqueEmail()))
                    .post("/v1/accounts").then().statusCode(429);
        });
    }
}
