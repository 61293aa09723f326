package com.harmony.consent;

import com.harmony.platform.AccountChanged;
import com.harmony.platform.Cursor;
import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemMapper;
import com.harmony.platform.ServerKey;
import com.harmony.platform.SignInListener;
import com.harmony.platform.VisitorToken;
import com.harmony.visitor.VisitorService;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import org.eclipse.microprofile.jwt.JsonWebToken;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Consents (P15, P16, P17, P23, C1): what a person allowed, per purpose, as an append-only history of
 * events with time, source and policy version (P30). The newest event per purpose is the current
 * state, read in one query; a purpose without events is not given. Subjects are accounts and
 * visitors; on sign-in the account's cookie choices win and the visitor's fill what the account lacks.
 */
@ApplicationScoped
public class ConsentService implements SignInListener {

    private static final Logger LOG = Logger.getLogger(ConsentService.class);

    /** What a consent is for. Marketing has one purpose per channel (P17). */
    public enum Purpose {
        MARKETING_EMAIL, MARKETING_POSTAL_MAIL, MARKETING_PHONE, PARTNER_SHARING, PERSONALISATION, ANALYTICS, AFFILIATE_ATTRIBUTION;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Purposes a browser's cookie banner decides (C1); the rest are account choices. */
        public boolean cookie() {
            return this == ANALYTICS || this == AFFILIATE_ATTRIBUTION;
        }

        /** Purposes Global Privacy Control opts out of (P23). */
        public boolean signalled() {
            return this == PARTNER_SHARING || this == ANALYTICS;
        }

        /** The policy a choice of this purpose is given under (P30): the cookie policy for cookies, the privacy statement otherwise. */
        String policyKind() {
            return cookie() ? PolicyService.COOKIE_POLICY : PolicyService.PRIVACY_STATEMENT;
        }

        static Purpose of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** Where a choice came from. */
    public enum Source {
        REGISTRATION, ACCOUNT_PAGE, COOKIE_BANNER, SURVEY, CONTEST, UNSUBSCRIBE_LINK, GPC, DNT, ADMIN, SIGN_IN;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whose choice: an account or a visitor, never both. */
    public record Subject(UUID accountId, UUID visitorId) {

        public static Subject account(UUID id) {
            return new Subject(id, null);
        }

        public static Subject visitor(UUID id) {
            return new Subject(null, id);
        }

        String column() {
            return accountId != null ? "account_id" : "visitor_id";
        }

        UUID id() {
            return accountId != null ? accountId : visitorId;
        }
    }

    /** Who a request speaks for: the signed-in account and the visitor its token proves, each possibly null. */
    public record Requester(UUID accountId, UUID visitorId) {

        public List<Subject> subjects() {
            List<Subject> all = new ArrayList<>();
            if (accountId != null) all.add(Subject.account(accountId));
            if (visitorId != null) all.add(Subject.visitor(visitorId));
            return all;
        }

        /** Whose choice decides: the account once signed in, else the visitor (null: nobody known). */
        public Subject decider() {
            return accountId != null ? Subject.account(accountId) : visitorId != null ? Subject.visitor(visitorId) : null;
        }
    }

    /** The current state of one purpose: granted or not, and the event that decided it (null fields: never asked). */
    public record State(Purpose purpose, boolean granted, String source, String policyVersion, String recordedAt) {
    }

    private static final String UNSUBSCRIBE = "unsubscribe-link";

    private static final String CURRENT = """
            select distinct on (purpose) purpose, granted, source, policy_version, rfc3339(recorded_at) as recorded_at
            from consent_event where %s = $1 order by purpose, seq desc""";
    /** The version of a policy kind in force now, or the configured fallback before any is published (P30). */
    private static final String VERSION_IN_FORCE = """
            coalesce((select d.version from policy_document d where d.kind = %s and d.effective_at <= now()
                      order by d.effective_at desc, d.published_at desc limit 1), %s)""";
    /** Records each choice that differs from the current state (an absent state differs from an explicit refusal). */
    private static final String RECORD = """
            insert into consent_event (%1$s, purpose, granted, source, policy_version)
            select $1, t.p, t.g, $4, %2$s from unnest($2::text[], $3::bool[], $6::text[]) as t(p, g, k)
            where (select e.granted from consent_event e where e.%1$s = $1 and e.purpose = t.p order by e.seq desc limit 1)
                  is distinct from t.g
            returning purpose""";
    private static final String LOCK_SUBJECT = "select pg_advisory_xact_lock(hashtextextended($1, 0))";
    private static final String HISTORY = """
            select seq::text as id, seq::text as k, json_build_object('purpose', purpose, 'granted', granted, 'source', source,
                'policy_version', policy_version, 'recorded_at', rfc3339(recorded_at))::text as doc
            from consent_event where %s = $1 and ($2::bigint is null or seq < $2) order by seq desc limit $3""";
    /**
     * On sign-in: the account's cookie choices go to the visitor (the account's choice wins); the
     * visitor's choices, cookies and the marketing answers it gave at a contest or survey, fill the
     * purposes the account never decided.
     */
    private static final String MERGE = """
            with a as (select distinct on (purpose) purpose, granted, policy_version from consent_event
                       where account_id = $1 order by purpose, seq desc),
                 v as (select distinct on (purpose) purpose, granted, policy_version from consent_event
                       where visitor_id = $2 order by purpose, seq desc),
                 to_visitor as (insert into consent_event (visitor_id, purpose, granted, source, policy_version)
                       select $2, a.purpose, a.granted, 'sign_in', a.policy_version from a left join v using (purpose)
                       where a.purpose = any($3) and v.granted is distinct from a.granted returning 1)
            insert into consent_event (account_id, purpose, granted, source, policy_version)
            select $1, v.purpose, v.granted, 'sign_in', v.policy_version from v left join a using (purpose) where a.purpose is null""";
    private static final String GRANTING_ACCOUNTS = """
            select account_id from (select distinct on (account_id) account_id, granted from consent_event
                where purpose = $1 and account_id is not null and ($2::uuid is null or account_id > $2)
                order by account_id, seq desc) s
            where granted order by account_id limit $3""";

    private final Pool pool;
    private final VisitorService visitors;
    private final ConsentConfig config;
    private final CurrentIdentityAssociation identities;
    private final ServerKey serverKey;

    private final jakarta.enterprise.event.Event<AccountChanged> accountChanged;

    ConsentService(Pool pool, VisitorService visitors, ConsentConfig config, CurrentIdentityAssociation identities, ServerKey serverKey,
            jakarta.enterprise.event.Event<AccountChanged> accountChanged) {
        this.accountChanged = accountChanged;
        this.pool = pool;
        this.serverKey = serverKey;
        this.identities = identities;
        this.visitors = visitors;
        this.config = config;
    }

    /** The current state of every purpose for the subject, in the order of {@link Purpose}. */
    public Uni<List<State>> current(Subject subject) {
        return current(pool, subject);
    }

    Uni<List<State>> current(SqlClient client, Subject subject) {
        return client.preparedQuery(CURRENT.formatted(subject.column())).execute(Tuple.of(subject.id())).map(rows -> {
            List<State> found = new ArrayList<>();
            for (Row r : rows) {
                found.add(new State(Purpose.of(r.getString("purpose")), r.getBoolean("granted"), r.getString("source"),
                        r.getString("policy_version"), r.getString("recorded_at")));
            }
            return everyPurpose(found);
        });
    }

    /** The same inside the caller's Hibernate Reactive session, on its connection (a profile write's answer). */
    public Uni<List<State>> current(Mutiny.Session session, Subject subject) {
        return session.createNativeQuery(CURRENT.formatted(subject.column()).replace("$1", "?1"), Object[].class).setParameter(1, subject.id())
                .getResultList().map(rows -> everyPurpose(rows.stream()
                        .map(r -> new State(Purpose.of((String) r[0]), (Boolean) r[1], (String) r[2], (String) r[3], (String) r[4])).toList()));
    }

    /** One state per purpose, in the purposes' order: one never chosen is not granted. */
    private static List<State> everyPurpose(List<State> found) {
        Map<Purpose, State> by = new EnumMap<>(Purpose.class);
        found.forEach(s -> by.put(s.purpose(), s));
        List<State> all = new ArrayList<>();
        for (Purpose p : Purpose.values()) {
            all.add(by.getOrDefault(p, new State(p, false, null, null, null)));
        }
        return all;
    }

    /** Whether the subject allows the purpose now. A necessary affiliate cookie needs no consent. */
    public Uni<Boolean> allows(Subject subject, Purpose purpose) {
        if (purpose == Purpose.AFFILIATE_ATTRIBUTION && config.affiliateAttribution() == ConsentConfig.Category.necessary) {
            return Uni.createFrom().item(true);
        }
        return current(subject).map(states -> states.get(purpose.ordinal()).granted());
    }

    /** Whether the affiliate cookie is optional here (C1); when necessary, it is always set. */
    public boolean affiliateAttributionOptional() {
        return config.affiliateAttribution() == ConsentConfig.Category.optional;
    }

    /**
     * Records the choices that change the current state, under the policy version in force for each
     * purpose, in its own transaction. Returns the purposes that changed.
     */
    public Uni<List<Purpose>> record(Subject subject, Map<Purpose, Boolean> choices, Source source) {
        return insert(pool, subject, choices, source).invoke(() -> changed(subject));
    }

    /** Committed: this instance's copies of the account's view go now (the others hear it from PostgreSQL, V31). */
    private void changed(Subject subject) {
        if (subject.accountId() != null) {
            accountChanged.fire(new AccountChanged(subject.accountId()));
        }
    }

    /** Choices a customer gave staff (source admin), audited in the same transaction (P24). */
    public Uni<List<Purpose>> recordByStaff(Subject subject, Map<Purpose, Boolean> choices, com.harmony.platform.Audit.Entry entry,
            com.harmony.platform.Audit audit) {
        return pool.withTransaction(conn -> insert(conn, subject, choices, Source.ADMIN).call(() -> audit.write(conn, entry)))
                .invoke(() -> changed(subject));
    }

    /** The same, on a connection whose transaction the caller owns (contests, surveys). */
    public Uni<List<Purpose>> record(SqlClient conn, Subject subject, Map<Purpose, Boolean> choices, Source source) {
        return insert(conn, subject, choices, source);
    }

    /**
     * The same inside the caller's Hibernate Reactive transaction, for registration: the account row and
     * its first choices commit together or not at all.
     */
    public Uni<Void> record(Mutiny.Session session, UUID accountId, Map<Purpose, Boolean> choices, Source source) {
        if (choices.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<Purpose, Boolean> c : choices.entrySet()) {
            chain = chain.chain(() -> session.createNativeQuery("insert into consent_event (account_id, purpose, granted, source, policy_version) "
                            + "select ?1, ?2, ?3, ?4, " + VERSION_IN_FORCE.formatted("?5", "?6"))
                    .setParameter(1, accountId).setParameter(2, c.getKey().wire()).setParameter(3, c.getValue())
                    .setParameter(4, source.wire()).setParameter(5, c.getKey().policyKind()).setParameter(6, config.fallbackPolicyVersion())
                    .executeUpdate().replaceWithVoid());
        }
        return chain;
    }

    private Uni<List<Purpose>> insert(SqlClient conn, Subject subject, Map<Purpose, Boolean> choices, Source source) {
        if (choices.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        if (conn instanceof Pool own) {
            return own.withTransaction(tx -> insert(tx, subject, choices, source));
        }
        List<Purpose> order = new ArrayList<>(choices.keySet());
        String[] purposes = order.stream().map(Purpose::wire).toArray(String[]::new);
        Boolean[] granted = order.stream().map(choices::get).toArray(Boolean[]::new);
        String[] kinds = order.stream().map(Purpose::policyKind).toArray(String[]::new);
        // one writer per subject at a time: the insert compares with the newest event, which a parallel writer
        // could not see yet, and two tabs sending one choice recorded it twice
        return lockSubject(conn, subject.id())
                .chain(() -> conn.preparedQuery(RECORD.formatted(subject.column(), VERSION_IN_FORCE.formatted("t.k", "$5")))
                        .execute(Tuple.from(new Object[] {subject.id(), purposes, granted, source.wire(), config.fallbackPolicyVersion(), kinds})))
                .map(rows -> {
                    List<Purpose> changed = new ArrayList<>();
                    rows.forEach(r -> changed.add(Purpose.of(r.getString("purpose"))));
                    return changed;
                });
    }

    /** Until the transaction ends, no other writer records choices of this subject (an account or a visitor). */
    private static Uni<?> lockSubject(SqlClient conn, UUID subject) {
        return conn.preparedQuery(LOCK_SUBJECT).execute(Tuple.of("consent:" + subject));
    }

    /** The subject's history, newest first, in keyset pages. */
    public Uni<String> history(Subject subject, int limit, String cursor) {
        Long before = null;
        if (cursor != null) {
            try {
                before = Long.parseLong(Cursor.decode(cursor, "consent-history").key());
            } catch (NumberFormatException e) {
                throw Cursor.invalid();
            }
        }
        return pool.preparedQuery(HISTORY.formatted(subject.column())).execute(Tuple.of(subject.id(), before, limit + 1))
                .map(rows -> Cursor.page(rows, limit, "consent-history"));
    }

    /**
     * Applies a browser's privacy signal (P23): withdraws partner sharing and analytics for each
     * subject that has not withdrawn them already, recorded with the signal as source.
     */
    public Uni<Void> applySignal(List<Subject> subjects, Source signal) {
        Map<Purpose, Boolean> optOut = new EnumMap<>(Purpose.class);
        Arrays.stream(Purpose.values()).filter(Purpose::signalled).forEach(p -> optOut.put(p, false));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Subject s : subjects) {
            chain = chain.chain(() -> record(s, optOut, signal).replaceWithVoid());
        }
        return chain;
    }

    /** Account ids whose current state grants the purpose, after the given id, in id order (for exports and mailings). */
    public Uni<List<UUID>> grantingAccounts(Purpose purpose, UUID after, int limit) {
        return pool.preparedQuery(GRANTING_ACCOUNTS).execute(Tuple.of(purpose.wire(), after, limit)).map(rows -> {
            List<UUID> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getUUID("account_id")));
            return ids;
        });
    }

    /**
     * The account a request is signed in as and the visitor its token proves, for operations anyone may use. A bearer
     * token that is not valid (expired, signed out, forged) is a 401: the app believes it is signed in, and must refresh
     * rather than have its person's feedback, entry or choice filed as nobody's. A session cookie that is not valid
     * counts as none: a browser keeps sending an expired one, and the banner and forms must work for it. A session check
     * the database could not answer fails the request (503): a signed-in person must never be taken for nobody.
     */
    public Uni<Requester> requester(HttpServerRequest request) {
        return requester(request, onlyBearer(request));
    }

    /** The same where a stale token must not fail anything (a filter recording a privacy signal beside the operation). */
    public Uni<Requester> requesterLeniently(HttpServerRequest request) {
        return requester(request, false);
    }

    private Uni<Requester> requester(HttpServerRequest request, boolean strict) {
        String visitorToken = VisitorToken.of(request);
        if (strict && !BEARER.matcher(request.getHeader(io.vertx.core.http.HttpHeaders.AUTHORIZATION)).matches()) {
            // credentials of no form this API takes (an empty Bearer, another scheme): never read as "no sign-in"
            return Uni.createFrom().failure(invalidBearer());
        }
        return identities.getDeferredIdentity()
                .map(ConsentService::accountOf)
                .onFailure(e -> !ProblemMapper.databaseUnavailable(e))
                .recoverWithUni(e -> strict ? Uni.createFrom().failure(invalidBearer()) : Uni.createFrom().nullItem())
                .chain(account -> visitors.verify(visitorToken).map(visitor -> new Requester(account, visitor)));
    }

    private static final java.util.regex.Pattern BEARER = java.util.regex.Pattern.compile("(?i)bearer +[A-Za-z0-9._~+/=-]+ *");

    /** Credentials in Authorization and no session cookie: the header is what was checked (a cookie, when there is one, is). */
    private static boolean onlyBearer(HttpServerRequest request) {
        return request.getHeader(io.vertx.core.http.HttpHeaders.AUTHORIZATION) != null
                && request.getCookie(com.harmony.platform.Cookies.SESSION) == null;
    }

    private static ProblemException invalidBearer() {
        return new ProblemException(com.harmony.platform.ProblemType.UNAUTHORIZED, "The Authorization header holds no valid bearer token "
                + "(expired, signed out, not issued here, or not a bearer token): refresh it, or send no Authorization header to go on "
                + "without signing in.", List.of(),
                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }

    private static UUID accountOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getSubject() == null) {
            return null;
        }
        try {
            return UUID.fromString(jwt.getSubject());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The privacy signal a request carries that this service honours (P23): GPC by default, DNT when configured; else null. */
    public Source signal(HttpServerRequest request) {
        if (config.gpc() == ConsentConfig.SignalRule.opt_out && "1".equals(strip(request.getHeader("Sec-GPC")))) {
            return Source.GPC;
        }
        if (config.dnt() == ConsentConfig.SignalRule.opt_out && "1".equals(strip(request.getHeader("DNT")))) {
            return Source.DNT;
        }
        return null;
    }

    private static String strip(String header) {
        return header == null ? null : header.strip();
    }

    @Override
    public Uni<Void> onSignIn(UUID accountId, Guest guest) {
        return merge(accountId, guest.visitorToken());
    }

    @Override
    public Uni<Void> onRegistered(UUID accountId, String visitorToken) {
        return merge(accountId, visitorToken);
    }

    private Uni<Void> merge(UUID accountId, String visitorToken) {
        String[] cookiePurposes = Arrays.stream(Purpose.values()).filter(Purpose::cookie).map(Purpose::wire).toArray(String[]::new);
        // only a browser that is this account's (or nobody's yet) speaks for it
        return visitors.verifyFor(visitorToken, accountId)
                .chain(visitor -> visitor == null ? Uni.createFrom().voidItem()
                        : pool.withTransaction(conn -> lockSubject(conn, accountId).chain(() -> lockSubject(conn, visitor))
                                .chain(() -> conn.preparedQuery(MERGE).execute(Tuple.of(accountId, visitor, cookiePurposes))))
                                .replaceWithVoid())
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Carrying cookie choices over at sign-in failed (%s); sign-in goes on", e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    /** Where a marketing message's unsubscribe link leads: the page in its text and the RFC 8058 one-click URL for its headers. */
    public record UnsubscribeLink(String page, String oneClick) {
    }

    /**
     * The signed unsubscribe link for one person and purpose (P16). The token names the account and the
     * purpose and carries an HMAC of both under the server key, so it cannot be forged, nor moved to
     * another person or purpose; it does not expire, since old emails must keep working.
     */
    public UnsubscribeLink unsubscribeLink(UUID accountId, Purpose purpose) {
        String token = accountId + "." + purpose.wire() + "." + serverKey.sign(UNSUBSCRIBE, accountId + "." + purpose.wire());
        String q = "?token=" + token;
        return new UnsubscribeLink(config.unsubscribePage() + q, config.publicBaseUrl() + "/v1/unsubscribe" + q);
    }

    /** The account and purpose a token names, when its signature holds; a problem otherwise. */
    record Unsubscription(Subject subject, Purpose purpose) {
    }

    Unsubscription checkUnsubscribe(String token) {
        String[] parts = token == null ? new String[0] : token.strip().split("\\.", -1);
        if (parts.length != 3 || parts[0].length() != 36 || parts[1].length() > 30) {
            throw invalidLink();
        }
        UUID account;
        Purpose purpose;
        try {
            account = UUID.fromString(parts[0]);
            purpose = Purpose.of(parts[1]);
        } catch (IllegalArgumentException e) {
            throw invalidLink();
        }
        byte[] expected = serverKey.sign(UNSUBSCRIBE, account + "." + purpose.wire()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (!java.security.MessageDigest.isEqual(expected, parts[2].getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw invalidLink();
        }
        return new Unsubscription(Subject.account(account), purpose);
    }

    private static ProblemException invalidLink() {
        return new ProblemException(ConsentProblems.UNSUBSCRIBE_LINK_INVALID,
                "This unsubscribe link is damaged or was not issued by us; use the link from the email as it is, or sign in to change your choices.");
    }


    /**
     * Refuses choices no one may record: the affiliate cookie where it is necessary (it is not a choice
     * then), and an opt-in to what the request's own privacy signal opts out of (P23). A null request
     * (staff recording a choice given by phone) carries no signal.
     */
    void checkChoices(Map<Purpose, Boolean> choices, HttpServerRequest http) {
        if (choices.containsKey(Purpose.AFFILIATE_ATTRIBUTION) && !affiliateAttributionOptional()) {
            throw ProblemException.invalid("affiliate_attribution", "the affiliate cookie is a necessary cookie on this site");
        }
        if (http == null || signal(http) == null) {
            return;
        }
        choices.forEach((p, granted) -> {
            if (granted && p.signalled()) {
                throw new ProblemException(ConsentProblems.GPC_OPT_OUT, "This request carries a Global Privacy Control signal, which opts "
                        + "out of " + p.wire().replace('_', ' ') + "; send the choice without it (another browser setting) to opt in.");
            }
        });
    }
}
