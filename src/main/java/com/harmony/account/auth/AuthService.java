package com.harmony.account.auth;

import com.harmony.account.AccountProblems;
import com.harmony.account.AccountService;
import com.harmony.account.AccountService.Credentials;
import com.harmony.platform.ProblemException;
import com.harmony.platform.SignInListener;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Sign-in, refresh and sign-out: turns credentials into sessions and sessions into access tokens. */
@ApplicationScoped
public class AuthService {

    private static final Logger LOG = Logger.getLogger(AuthService.class);

    private final AccountService accounts;
    private final Passwords passwords;
    private final Sessions sessions;
    private final SignInThrottle throttle;
    private final TokenIssuer tokens;
    private final Instance<SignInListener> listeners;

    AuthService(AccountService accounts, Passwords passwords, Sessions sessions, SignInThrottle throttle, TokenIssuer tokens,
            @Any Instance<SignInListener> listeners) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.sessions = sessions;
        this.throttle = throttle;
        this.tokens = tokens;
        this.listeners = listeners;
    }

    /** A live session with its access token. */
    public record Session(Credentials account, String accessToken, Sessions.Opened opened) {
    }

    /**
     * Unknown email and wrong password fail identically, in body and time (a dummy hash is checked
     * for unknown emails); every attempt is reserved on the throttle first and a success gives it back.
     */
    public Uni<Session> signIn(String email, String password, boolean remember, String ip, SignInListener.Guest guest) {
        // the attempt is counted before the password is checked, so a parallel burst cannot outrun the limit
        return throttle.signIn(email, ip).chain(permit -> accounts.credentialsByEmail(email)
                        .chain(account -> passwords.verifyForSignIn(password, account == null ? null : account.passwordHash())
                                .chain(v -> v.matches() ? succeed(account, password, v.needsRehash(), remember)
                                        .call(() -> throttle.signedIn(permit, email, ip))
                                        : Uni.createFrom().failure(invalidCredentials())))
                        // only a wrong password counts: a busy pool or a database error gives the attempt back
                        .onFailure().call(e -> isInvalidCredentials(e) ? permit.failed() : permit.release())
                        .onCancellation().call(permit::release))
                .call(session -> notifyListeners(session.account().id(), guest));
    }

    private Uni<Session> succeed(Credentials account, String password, boolean rehash, boolean remember) {
        // upgrading an old hash is best effort: a busy pool must not fail a correct sign-in
        Uni<Void> upgraded = !rehash ? Uni.createFrom().voidItem() : passwords.hash(password).chain(h -> accounts.rehash(account.id(), h))
                .onFailure().recoverWithNull();
        return upgraded
                // an erasure that deleted the account since its password was checked: as if it had never been there
                .chain(() -> sessions.open(account.id(), remember)
                        .onFailure(com.harmony.platform.Rows::isForeignKeyViolation).transform(e -> invalidCredentials()))
                .map(opened -> new Session(account, tokens.accessToken(account.id(), account.email(), account.roles(), opened.sessionId()), opened));
    }

    /** Exchanges a refresh token for new tokens; roles are read again, so changes apply at refresh. */
    public Uni<Session> refresh(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            return Uni.createFrom().failure(refreshRejected());
        }
        return sessions.rotate(refreshToken)
                .onItem().ifNull().failWith(AuthService::refreshRejected)
                .chain(rotation -> accounts.credentialsById(rotation.accountId())
                        .onItem().ifNull().failWith(AuthService::refreshRejected)
                        .map(account -> new Session(account,
                                tokens.accessToken(account.id(), account.email(), account.roles(), rotation.session().sessionId()),
                                rotation.session())));
    }

    public Uni<Void> signOut(UUID sessionId) {
        return sessions.revoke(sessionId);
    }

    /** Ends the session a refresh token belongs to (used or not); an unknown token ends nothing. */
    public Uni<Void> signOutByRefresh(String refreshToken) {
        return refreshToken == null || refreshToken.isBlank() ? Uni.createFrom().voidItem() : sessions.revokeByRefresh(refreshToken);
    }

    public long accessTokenTtl() {
        return tokens.ttlSeconds();
    }

    private Uni<Void> notifyListeners(UUID accountId, SignInListener.Guest guest) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (SignInListener listener : listeners) {
            chain = chain.chain(() -> listener.onSignIn(accountId, guest)
                    .onFailure().invoke(e -> LOG.warnf("A sign-in listener failed (%s); sign-in goes on", e.getClass().getSimpleName()))
                    .onFailure().recoverWithNull());
        }
        return chain;
    }

    private static boolean isInvalidCredentials(Throwable e) {
        return e instanceof ProblemException p && p.type() == AccountProblems.INVALID_CREDENTIALS;
    }

    private static ProblemException invalidCredentials() {
        return new ProblemException(AccountProblems.INVALID_CREDENTIALS, "Email or password is wrong.");
    }

    private static ProblemException refreshRejected() {
        return new ProblemException(AccountProblems.REFRESH_REJECTED, "Sign in again.");
    }
}
