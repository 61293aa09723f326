package com.harmony.account;

import static com.harmony.AuthFixtures.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * P24: a hash made with weaker, older parameters is replaced by a current one at the next sign-in; hashes
 * written by the hashing library of earlier releases (password4j) still verify with libargon2 (after Bouncy Castle).
 */
@QuarkusTest
class PasswordUpgradeTest {

    @Inject
    Pool pool;

    private String storedHash(String accountId) {
        return pool.preparedQuery("select password_hash from account where id = $1").execute(Tuple.of(UUID.fromString(accountId)))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getString("password_hash");
    }

    private void store(String accountId, String hash) {
        pool.preparedQuery("update account set password_hash = $1 where id = $2").execute(Tuple.of(hash, UUID.fromString(accountId)))
                .await().atMost(Duration.ofSeconds(5));
    }

    /** A hash of the test password as password4j, the hashing library of earlier releases, wrote it. */
    private static String password4jHash(int memoryKib, int iterations) {
        return Password.hash(PASSWORD).addRandomSalt(16).with(Argon2Function.getInstance(memoryKib, iterations, 1, 32, Argon2.ID)).getResult();
    }

    private static int signInStatus(String email, String password) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", AuthFixtures.randomClient())
                .body(Map.of("email", email, "password", password)).post("/v1/auth/sign-in").statusCode();
    }

    @Test
    void P24_hashesWrittenByTheEarlierLibraryStillVerify_andAreKeptWhenTheirParametersAreCurrent() {
        String email = AuthFixtures.uniqueEmail();
        String id = AuthFixtures.register(email);
        String earlier = password4jHash(19456, 2);
        store(id, earlier);

        assertEquals(401, signInStatus(email, "not the password at all"));
        AuthFixtures.signIn(email, PASSWORD);
        assertEquals(earlier, storedHash(id), "a current hash is not rewritten");
    }

    @Test
    void P24_aStoredValueThatIsNoHashMatchesNoPassword_andAnswersTheUsual401() {
        String email = AuthFixtures.uniqueEmail();
        String id = AuthFixtures.register(email);
        for (String broken : new String[] {"", "plain text", "$argon2id$v=19$m=19456,t=2,p=1$!!$!!", "$argon2id$v=19$m=1,t=0,p=1$c2FsdHNhbHQ$aGFzaA"}) {
            store(id, broken);
            assertEquals(401, signInStatus(email, PASSWORD), broken);
            assertEquals(401, signInStatus(email, broken.isEmpty() ? "x" : broken), broken);
        }
    }

    @Test
    void P24_outdatedHashesAreUpgradedAtSignIn() {
        String email = AuthFixtures.uniqueEmail();
        String id = AuthFixtures.register(email);
        String old = password4jHash(4096, 1);
        store(id, old);

        AuthFixtures.signIn(email, PASSWORD);

        String upgraded = storedHash(id);
        assertTrue(upgraded.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), upgraded);
        AuthFixtures.signIn(email, PASSWORD);
    }
}
