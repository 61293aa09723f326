package com.harmony.account;

import static com.harmony.AuthFixtures.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** P24: a hash made with weaker, older parameters is replaced by a current one at the next sign-in. */
@QuarkusTest
class PasswordUpgradeTest {

    @Inject
    Pool pool;

    private String storedHash(String accountId) {
        return pool.preparedQuery("select password_hash from account where id = $1").execute(Tuple.of(UUID.fromString(accountId)))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getString("password_hash");
    }

    @Test
    void P24_outdatedHashesAreUpgradedAtSignIn() {
        String email = AuthFixtures.uniqueEmail();
        String id = AuthFixtures.register(email);
        String old = Password.hash(PASSWORD).addRandomSalt(16).with(Argon2Function.getInstance(4096, 1, 1, 32, Argon2.ID)).getResult();
        pool.preparedQuery("update account set password_hash = $1 where id = $2").execute(Tuple.of(old, UUID.fromString(id)))
                .await().atMost(Duration.ofSeconds(5));

        AuthFixtures.signIn(email, PASSWORD);

        String upgraded = storedHash(id);
        assertTrue(upgraded.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), upgraded);
        AuthFixtures.signIn(email, PASSWORD);
    }
}
