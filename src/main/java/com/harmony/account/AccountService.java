package com.harmony.account;

import com.harmony.account.AccountRequests.AddressInput;
import com.harmony.account.AccountRequests.AddressPatch;
import com.harmony.account.AccountRequests.ChangeEmailRequest;
import com.harmony.account.AccountRequests.ChangePasswordRequest;
import com.harmony.account.AccountRequests.MarketingChoices;
import com.harmony.account.AccountRequests.RegisterRequest;
import com.harmony.account.AccountRequests.UpdateProfileRequest;
import com.harmony.account.AccountViews.AccountPage;
import com.harmony.account.AccountViews.AccountSummary;
import com.harmony.account.AccountViews.AccountView;
import com.harmony.account.AccountViews.RegistrationAccepted;
import com.harmony.account.AccountViews.AddressView;
import com.harmony.account.AccountViews.MarketingView;
import com.harmony.account.auth.AuthMails;
import com.harmony.account.auth.EmailTokens;
import com.harmony.account.auth.Passwords;
import com.harmony.account.auth.Sessions;
import com.harmony.account.auth.SignInThrottle;
import com.harmony.consent.ConsentService;
import com.harmony.platform.ETags;
import com.harmony.platform.Audit;
import com.harmony.consent.ConsentService.Purpose;
import com.harmony.consent.ConsentService.Source;
import com.harmony.consent.ConsentService.Subject;
import com.harmony.platform.AccountRoles;
import com.harmony.platform.SignInListener;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import com.harmony.platform.AddressBook;
import com.harmony.platform.Cursor;
import com.harmony.platform.PostalAddress;
import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemMapper;
import com.harmony.platform.VertxContexts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Owns accounts: registration (P10, P31), My Account, the address book, credentials changes and the
 * back office's view. Persistence is Hibernate Reactive; hashing runs on the password pool.
 */
@ApplicationScoped
public class AccountService implements AddressBook, AccountRoles {

    private static final Logger LOG = Logger.getLogger(AccountService.class);
    static final int ADULT_AGE = 18;
    /** Older than anyone alive: a birth date before it is a slip (0001-01-01), not a customer. */
    static final int OLDEST_AGE = 130;

    private final Passwords passwords;
    private final Sessions sessions;
    private final EmailTokens emailTokens;
    private final AuthMails mails;
    private final SignInThrottle throttle;
    private final Instance<SignInListener> listeners;
    private final ConsentService consents;
    private final Audit audit;
    private final AccountCache cache;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    AccountService(Passwords passwords, Sessions sessions, EmailTokens emailTokens, AuthMails mails, SignInThrottle throttle,
            @Any Instance<SignInListener> listeners, ConsentService consents, Audit audit, AccountCache cache,
            com.fasterxml.jackson.databind.ObjectMapper json) {
        this.cache = cache;
        this.json = json;
        this.consents = consents;
        this.audit = audit;
        this.listeners = listeners;
        this.passwords = passwords;
        this.sessions = sessions;
        this.emailTokens = emailTokens;
        this.mails = mails;
        this.throttle = throttle;
    }

    /** What sign-in needs to know about an account; the hash never leaves this feature. */
    public record Credentials(UUID id, String email, String passwordHash, Set<String> roles) {
    }

    // ------------------------------------------------------------------ registration

    /**
     * Registers, answering a taken email exactly as a free one (same status, body and work: the hash
     * is computed either way), so registration tells nobody which emails have accounts. The owner of
     * a taken email gets a notice instead; a new account gets a welcome. Mails go out after the
     * answer, so their time is not in it. Counted per client address.
     */
    public Uni<RegistrationAccepted> register(RegisterRequest r, String ip, String visitorToken) {
        LocalDate birthDate = checkAdult(r.birthDate(), r.adultConfirmed());
        passwords.checkPolicy("password", r.password(), r.email());
        personName(r.name());
        String email = visibleEmail("email", r.email().strip());
        return throttle.registration(ip)
                .chain(permit -> passwords.hash(r.password())
                        .chain(hash -> Panache.withTransaction(() -> store(r, birthDate, hash))
                                .map(view -> UUID.fromString(view.id()))
                                .onFailure(AccountService::isUniqueViolation).recoverWithNull())
                        // nothing was registered (a busy hash pool, a database that is down): the place goes back
                        .onFailure().call(permit::release)
                        .onCancellation().call(permit::release))
                .call(created -> created == null ? Uni.createFrom().voidItem() : registered(created, visitorToken))
                .invoke(created -> mailLater(created != null ? mails.welcome(created, email) : mails.registrationAttempt(email)))
                .map(created -> RegistrationAccepted.of(email));
    }

    /** Other features attach what the new account's browser did before (P11: the visitor maps to the account). */
    private Uni<Void> registered(UUID accountId, String visitorToken) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (SignInListener l : listeners) {
            chain = chain.chain(() -> l.onRegistered(accountId, visitorToken).onFailure().recoverWithNull());
        }
        return chain;
    }

    /**
     * Runs after the answer (202 either way, so its timing tells nothing); the caller was told the mail is on its
     * way, so a database away for a moment is waited for, up to a minute, instead of dropping the mail. Each try
     * starts on the request's Vert.x context, where Hibernate Reactive must run.
     * A try runs the whole chain again: should the queue's insert commit and its answer be lost, a second link or
     * notice goes out (a reset link: redeeming either voids the other).
     */
    private static void mailLater(Uni<Void> mail) {
        VertxContexts.subscribeOnCurrent(mail).onFailure(ProblemMapper::databaseUnavailable).retry()
                .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10)).expireIn(60_000)
                .subscribe().with(x -> { }, e -> LOG.warnf("An account mail was not queued (%s%s)", e.getClass().getSimpleName(),
                        e.getCause() == null ? "" : ", " + e.getCause().getClass().getSimpleName()));
    }

    private Uni<AccountView> store(RegisterRequest r, LocalDate birthDate, String hash) {
        Account a = new Account();
        a.id = UUID.randomUUID();
        a.email = r.email().strip();
        a.passwordHash = hash;
        a.name = personName(r.name());
        a.phone = r.phone();
        a.interests = normalise(r.interests());
        a.birthDate = birthDate;
        a.adultAttestedAt = OffsetDateTime.now();
        a.roles = new String[] {"customer"};
        a.createdAt = OffsetDateTime.now();
        a.updatedAt = a.createdAt;
        Address address = Address.of(a.id, r.address());
        address.defaultShipping = true;
        address.defaultBilling = true;
        Map<Purpose, Boolean> choices = choices(r.marketing());
        return a.persist()
                .chain(() -> address.persist())
                .chain(() -> Panache.flush())
                .chain(() -> Panache.getSession())
                .chain(session -> consents.record(session, a.id, choices, Source.REGISTRATION))
                .map(x -> AccountView.of(a, new MarketingView(choices.getOrDefault(Purpose.MARKETING_EMAIL, false),
                        choices.getOrDefault(Purpose.MARKETING_POSTAL_MAIL, false), choices.getOrDefault(Purpose.MARKETING_PHONE, false))));
    }

    /** P31: a birth date of someone 18 or older, or an explicit statement; nothing else gets in. */
    private static LocalDate checkAdult(LocalDate birthDate, Boolean adultConfirmed) {
        if (birthDate != null) {
            if (birthDate.isAfter(LocalDate.now())) {
                throw ProblemException.invalid("birth_date", "must be in the past");
            }
            if (Period.between(birthDate, LocalDate.now()).getYears() < ADULT_AGE) {
                throw underAge();
            }
            if (Period.between(birthDate, LocalDate.now()).getYears() >= OLDEST_AGE) {
                throw ProblemException.invalid("birth_date", "must be within the last " + OLDEST_AGE + " years");
            }
            return birthDate;
        }
        if (adultConfirmed == null) {
            throw ProblemException.invalid("birth_date", "give a birth date or adult_confirmed=true");
        }
        if (!adultConfirmed) {
            throw underAge();
        }
        return null;
    }

    private static ProblemException underAge() {
        return new ProblemException(AccountProblems.UNDER_AGE,
                "We do not collect personal information from anyone under 18; nothing was stored.");
    }

    // ------------------------------------------------------------------ credentials, for sign-in

    public Uni<Credentials> credentialsByEmail(String email) {
        return Panache.withSession(() -> Account.<Account>find("lower(email) = ?1", email.strip().toLowerCase(Locale.ROOT))
                .firstResult().map(AccountService::credentials));
    }

    public Uni<Credentials> credentialsById(UUID id) {
        return Panache.withSession(() -> Account.<Account>findById(id).map(AccountService::credentials));
    }

    /** Stores a fresh hash after sign-in found the old one made with outdated parameters. */
    public Uni<Void> rehash(UUID id, String hash) {
        return Panache.withTransaction(() -> Account.update("passwordHash = ?1 where id = ?2", hash, id)).replaceWithVoid();
    }

    private static Credentials credentials(Account a) {
        return a == null ? null : new Credentials(a.id, a.email, a.passwordHash, a.roleSet());
    }

    // ------------------------------------------------------------------ contact, to prefill other features' forms

    /** What a form may be prefilled with (a contest entry): the default shipping address, or null without one. */
    public record Contact(String name, String email, String phone, PostalAddress address) {
    }

    /** The account's contact details, or null when the account is gone. */
    public Uni<Contact> contactOf(UUID id) {
        return Panache.withSession(() -> Account.<Account>findById(id).chain(a -> a == null ? Uni.createFrom().<Contact>nullItem()
                : Address.<Address>find("accountId = ?1 and defaultShipping = true", id).firstResult()
                        .map(ad -> new Contact(a.name, a.email, a.phone, ad == null ? null : ad.postal()))));
    }

    // ------------------------------------------------------------------ marketing

    /** The interests the customer gave us themselves (P15 personalises with them only with consent). */
    public Uni<List<String>> interestsOf(UUID id) {
        return Panache.withSession(() -> require(id).map(a -> List.of(a.interests)));
    }

    /** Where a marketing email to the account goes, or null when the account is gone. */
    public Uni<String> emailOf(UUID id) {
        return Panache.withSession(() -> Account.<Account>findById(id).map(a -> a == null ? null : a.email));
    }

    /**
     * What a marketing partner may learn of a consenting account (P18): the name, the default shipping
     * address without its phone, the interests. Deliberately no email, phone or payment field.
     */
    public record AudienceProfile(UUID id, String name, String line1, String line2, String city, String region, String postalCode,
            String country, List<String> interests) {
    }

    /** Profiles of those accounts that have a default shipping address (the rest have nothing a partner could use). */
    public Uni<List<AudienceProfile>> audienceProfiles(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.withSession(() -> Account.<Account>list("id in ?1 order by id", ids)
                .chain(accounts -> Address.<Address>list("accountId in ?1 and defaultShipping = true", ids).map(addresses -> {
                    Map<UUID, Address> byAccount = new java.util.HashMap<>();
                    addresses.forEach(ad -> byAccount.put(ad.accountId, ad));
                    List<AudienceProfile> out = new ArrayList<>();
                    for (Account a : accounts) {
                        Address ad = byAccount.get(a.id);
                        if (ad != null) {
                            out.add(new AudienceProfile(a.id, a.name, ad.line1, ad.line2, ad.city, ad.region, ad.postalCode, ad.country,
                                    List.of(a.interests)));
                        }
                    }
                    return out;
                })));
    }

    // ------------------------------------------------------------------ My Account

    /** The account as its owner sees it, rendered, from this instance's memory for a moment (see {@link AccountCache}). */
    public Uni<com.harmony.platform.LocalCache.Tagged> me(UUID id) {
        // the consents are read after the session closed: holding its connection while asking the pool for another
        // deadlocks once every connection is held by a request waiting for a second one
        return cache.view(id, () -> Panache.withSession(() -> mine(id)).chain(this::view).map(this::render));
    }

    private String render(AccountView view) {
        try {
            return json.writeValueAsString(view);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Changes the fields sent; with If-Match only over the version the caller read (412 and nothing written otherwise).
     * One transaction on one connection: the account row locked, its consents read beside it, the tag compared, the
     * change written and rendered as GET reads it (the version it got, the timestamp to the microsecond), so the answer's
     * ETag is the one GET gives and a database lost after the commit cannot turn a write that happened into an error.
     */
    public Uni<com.harmony.platform.LocalCache.Tagged> updateProfile(UUID id, String ifMatch, UpdateProfileRequest r) {
        return Panache.withTransaction(() -> mineLocked(id).chain(a -> viewIn(a).chain(before -> {
            if (ifMatch != null) {
                ETags.requireMatch(ifMatch, ETags.of(render(before)), "The account");
            }
            String name = r.name() == null ? a.name : personName(r.name());
            String phone = r.phone() == null ? a.phone : r.phone().isBlank() ? null : r.phone();
            String[] interests = r.interests() == null ? a.interests : normalise(r.interests());
            // a write that changes nothing leaves the account, its version and its ETag as they were
            if (Objects.equals(name, a.name) && Objects.equals(phone, a.phone) && Arrays.equals(interests, a.interests)) {
                return Uni.createFrom().item(before);
            }
            a.name = name;
            a.phone = phone;
            a.interests = interests;
            a.touch();
            // flushed here, so the answer carries the version the write gave the row (the timestamp is stored as touched)
            return Panache.getSession().chain(s -> s.flush())
                    .replaceWith(() -> AccountView.of(a, before.marketing()));
        }))).invoke(() -> cache.accountChanged(id)).map(this::render).map(com.harmony.platform.LocalCache.Tagged::of);
    }

    public Uni<Void> changePassword(UUID id, UUID currentSession, ChangePasswordRequest r, String ip) {
        return Panache.withSession(() -> mine(id))
                .invoke(a -> passwords.checkPolicy("new_password", r.newPassword(), a.email))
                .call(a -> checkCurrentPassword(a, r.currentPassword(), ip))
                .chain(a -> passwords.hash(r.newPassword()))
                // other sessions end first: if storing the hash then failed, nobody is left signed in with the old one
                .call(hash -> sessions.revokeAll(id, currentSession))
                .call(hash -> emailTokens.revokeAll(id))
                .chain(hash -> Panache.withTransaction(() -> Account.update("passwordHash = ?1, updatedAt = ?2 where id = ?3",
                        hash, OffsetDateTime.now(), id)))
                .replaceWithVoid();
    }

    /** Sends a confirmation link to the new address; the email changes only when it is followed. */
    public Uni<Void> requestEmailChange(UUID id, ChangeEmailRequest r, String ip) {
        String newEmail = visibleEmail("new_email", r.newEmail().strip());
        return Panache.withSession(() -> mine(id))
                .call(a -> checkCurrentPassword(a, r.currentPassword(), ip))
                .chain(a -> Panache.withSession(() -> Account.count("lower(email) = ?1 and id <> ?2", newEmail.toLowerCase(Locale.ROOT), id)))
                // the same answer whether or not the address has an account: its owner is told instead of getting a link
                .chain(taken -> taken > 0 ? Uni.createFrom().voidItem().invoke(() -> mailLater(mails.emailChangeAttempt(newEmail)))
                        : emailTokens.issue(id, EmailTokens.EMAIL_CHANGE, newEmail, Duration.ofHours(24))
                                .invoke(token -> mailLater(mails.confirmEmailChange(id, newEmail, token))).replaceWithVoid());
    }

    private record EmailChanged(UUID accountId, String oldEmail, String newEmail) {
    }

    /**
     * Follows an email-change link: the address changes, every other emailed link (reset links mailed
     * to the old address included) is voided as the link is used, every session ends (whoever held one must sign in with
     * the new address) and the old address is told, so a hijack cannot go unnoticed.
     */
    public Uni<Void> confirmEmailChange(String token) {
        // one transaction: the link is spent only with the address changed (taken meanwhile, the link stays unused)
        return emailTokens.redeemWith(token, EmailTokens.EMAIL_CHANGE, (conn, redeemed) -> conn
                        .preparedQuery("select email from account where id = $1 for no key update")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(redeemed.accountId()))
                        .map(rows -> {
                            io.vertx.mutiny.sqlclient.Row row = com.harmony.platform.Rows.first(rows);
                            if (row == null) {
                                throw invalidToken();
                            }
                            return row.getString("email");
                        })
                        .call(() -> conn.preparedQuery("update account set email = $1, updated_at = now() where id = $2")
                                .execute(io.vertx.mutiny.sqlclient.Tuple.of(redeemed.newEmail(), redeemed.accountId())))
                        .call(() -> Sessions.revokeAll(conn, redeemed.accountId(), null))
                        .map(oldEmail -> new EmailChanged(redeemed.accountId(), oldEmail, redeemed.newEmail())))
                .onItem().ifNull().failWith(AccountService::invalidToken)
                .onFailure(AccountService::isUniqueViolation).transform(e -> emailTaken())
                .invoke(changed -> {
                    cache.accountChanged(changed.accountId());
                    mailLater(mails.emailChanged(changed.accountId(), changed.oldEmail(), changed.newEmail()));
                })
                .replaceWithVoid();
    }

    /**
     * Completes a password reset. The new password is checked against the rules BEFORE the link is
     * used up, so a refused password leaves the link working; then the token is redeemed (single use,
     * atomically), the password replaced and every session ended.
     */
    public Uni<Void> resetPassword(String token, String newPassword) {
        return emailTokens.peek(token, EmailTokens.PASSWORD_RESET)
                .onItem().ifNull().failWith(AccountService::invalidToken)
                .call(accountId -> Panache.withSession(() -> require(accountId))
                        .invoke(a -> passwords.checkPolicy("new_password", newPassword, a.email)))
                .chain(accountId -> passwords.hash(newPassword))
                // one transaction: the link is spent, the password set and every session ended together, or none of it
                // (redeeming voids the account's other links too: a pending email change or an older reset link)
                .chain(hash -> emailTokens.redeemWith(token, EmailTokens.PASSWORD_RESET, (conn, redeemed) -> conn
                                .preparedQuery("update account set password_hash = $1, updated_at = now() where id = $2")
                                .execute(io.vertx.mutiny.sqlclient.Tuple.of(hash, redeemed.accountId()))
                                .chain(() -> Sessions.revokeAll(conn, redeemed.accountId(), null))
                                .replaceWith(redeemed.accountId()))
                        .onItem().ifNull().failWith(AccountService::invalidToken))
                .invoke(cache::accountChanged)
                .replaceWithVoid();
    }

    /**
     * Issues and mails a reset token when the email belongs to an account; says nothing either way.
     * Counted per email and client address first: past either limit it is a 429 and nothing is sent (no
     * mail bombing); the count does not depend on whether the account exists. The mail goes out after
     * the answer, so the answer's time says nothing either.
     */
    public Uni<Void> requestPasswordReset(String email, String ip) {
        return throttle.resetRequest(email, ip).invoke(() -> mailLater(credentialsByEmail(email)
                .chain(c -> c == null ? Uni.createFrom().voidItem()
                        : emailTokens.issue(c.id(), EmailTokens.PASSWORD_RESET, null, Duration.ofMinutes(30))
                                .chain(token -> mails.passwordReset(c.id(), c.email(), token)))));
    }

    // ------------------------------------------------------------------ address book

    public Uni<List<AddressView>> addresses(UUID accountId) {
        return Panache.withSession(() -> Address.<Address>list("accountId = ?1 order by createdAt, id", accountId))
                .map(list -> list.stream().map(AddressView::of).toList());
    }

    /** Enough for every home, office and relative a customer ships to; the book is read whole (GET answers all of it). */
    public static final int MAX_ADDRESSES = 50;

    public Uni<AddressView> addAddress(UUID accountId, AddressInput in) {
        // counted under the account's lock, so a burst of adds cannot pass the limit together
        return Panache.withTransaction(() -> mineLocked(accountId)
                .chain(() -> Address.count("accountId", accountId))
                .invoke(held -> {
                    if (held >= MAX_ADDRESSES) {
                        throw new ProblemException(AccountProblems.ADDRESS_BOOK_FULL, "The address book holds " + MAX_ADDRESSES
                                + " addresses, as many as it may: remove one you no longer use first.");
                    }
                })
                .chain(() -> clearDefaults(accountId, null, in.defaultShipping(), in.defaultBilling()))
                .chain(() -> {
                    Address a = Address.of(accountId, in.address());
                    a.defaultShipping = Boolean.TRUE.equals(in.defaultShipping());
                    a.defaultBilling = Boolean.TRUE.equals(in.defaultBilling());
                    return a.persist().replaceWith(a);
                })
                .call(() -> Panache.flush())
                .map(AddressView::of));
    }

    public Uni<AddressView> updateAddress(UUID accountId, UUID addressId, AddressPatch p) {
        return Panache.withTransaction(() -> mineLocked(accountId).chain(() -> owned(accountId, addressId))
                .call(a -> clearDefaults(accountId, addressId, p.defaultShipping(), p.defaultBilling()))
                .invoke(a -> {
                    if (p.address() != null) a.apply(p.address());
                    if (p.defaultShipping() != null) a.defaultShipping = p.defaultShipping();
                    if (p.defaultBilling() != null) a.defaultBilling = p.defaultBilling();
                    a.updatedAt = OffsetDateTime.now();
                })
                .call(() -> Panache.flush())
                .map(AddressView::of));
    }

    public Uni<Void> deleteAddress(UUID accountId, UUID addressId) {
        return Panache.withTransaction(() -> mineLocked(accountId).chain(() -> owned(accountId, addressId)).call(a -> a.delete()))
                .replaceWithVoid();
    }

    @Override
    public Uni<Optional<PostalAddress>> find(UUID accountId, UUID addressId) {
        return Panache.withSession(() -> Address.<Address>find("id = ?1 and accountId = ?2", addressId, accountId).firstResult())
                .map(a -> Optional.ofNullable(a).map(Address::postal));
    }

    /** Another account's address is "not found", never "forbidden": ids reveal nothing. */
    private Uni<Address> owned(UUID accountId, UUID addressId) {
        return Address.<Address>find("id = ?1 and accountId = ?2", addressId, accountId).firstResult()
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Address " + addressId));
    }

    /** Unsets other defaults first: the partial unique indexes allow one default of each kind. */
    private Uni<Void> clearDefaults(UUID accountId, UUID except, Boolean shipping, Boolean billing) {
        UUID keep = except == null ? new UUID(0, 0) : except;
        Uni<Void> done = Uni.createFrom().voidItem();
        if (Boolean.TRUE.equals(shipping)) {
            done = done.chain(() -> Address.update("defaultShipping = false where accountId = ?1 and id <> ?2", accountId, keep)).replaceWithVoid();
        }
        if (Boolean.TRUE.equals(billing)) {
            done = done.chain(() -> Address.update("defaultBilling = false where accountId = ?1 and id <> ?2", accountId, keep)).replaceWithVoid();
        }
        return done;
    }

    // ------------------------------------------------------------------ back office

    public Uni<AccountPage> search(String q, String role, int limit, String cursor) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (q != null) {
            where.append(" and (lower(email) like :q or lower(name) like :q)");
            params.put("q", "%" + q.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (role != null) {
            where.append(" and array_contains(roles, :role)");
            params.put("role", role);
        }
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor, "newest");
            try {
                params.put("after", OffsetDateTime.parse(c.key()));
                params.put("afterId", UUID.fromString(c.id()));
            } catch (RuntimeException e) {
                throw Cursor.invalid();
            }
            where.append(" and (createdAt < :after or (createdAt = :after and id < :afterId))");
        }
        return Panache.withSession(() -> Account.<Account>find(where + " order by createdAt desc, id desc", params)
                .range(0, limit).list())
                .map(list -> {
                    boolean more = list.size() > limit;
                    List<Account> shown = more ? list.subList(0, limit) : list;
                    String next = more ? new Cursor("newest", shown.get(limit - 1).createdAt.toString(), shown.get(limit - 1).id.toString()).encode() : null;
                    return new AccountPage(shown.stream().map(AccountSummary::of).toList(), more, next);
                });
    }

    /** Staff see the account as it is now, never a cached copy. */
    public Uni<AccountView> adminView(UUID id) {
        return Panache.withSession(() -> require(id)).chain(this::view);
    }

    /** Replaces an account's roles; its sessions end so the new roles apply at once. */
    public Uni<AccountView> setRoles(UUID id, List<String> roles) {
        Audit.Entry entry = audit.entry("account.roles_changed", "account", id, id);
        return Panache.withTransaction(() -> requireLocked(id).invoke(a -> {
            a.roles = new TreeSet<>(roles).toArray(String[]::new);
            a.touch();
        }).call(() -> Panache.flush()).call(() -> Panache.getSession().chain(session -> audit.write(session, entry))))
                .call(a -> sessions.revokeAll(id, null))
                .chain(this::view);
    }

    @Override
    public Uni<Void> grant(UUID accountId, String role) {
        return Panache.withTransaction(() -> requireLocked(accountId).invoke(a -> {
            TreeSet<String> roles = new TreeSet<>(List.of(a.roles));
            roles.add(role);
            a.roles = roles.toArray(String[]::new);
            a.touch();
        })).invoke(() -> cache.accountChanged(accountId)).replaceWithVoid();
    }

    /** Takes the role away and ends the account's sessions, so no access token keeps it. */
    @Override
    public Uni<Void> revoke(UUID accountId, String role) {
        return Panache.withTransaction(() -> requireLocked(accountId).invoke(a -> {
            TreeSet<String> roles = new TreeSet<>(List.of(a.roles));
            roles.remove(role);
            a.roles = roles.toArray(String[]::new);
            a.touch();
        })).call(() -> sessions.revokeAll(accountId, null)).replaceWithVoid();
    }

    /** Creates the configured first admin if no account has that email (the back office needs a way in). */
    public Uni<Void> ensureAdmin(String email, String password) {
        return credentialsByEmail(email).chain(existing -> existing != null ? Uni.createFrom().voidItem()
                : passwords.hash(password).chain(hash -> Panache.withTransaction(() -> {
                    Account a = new Account();
                    a.id = UUID.randomUUID();
                    a.email = email;
                    a.passwordHash = hash;
                    a.name = "Administrator";
                    a.interests = new String[0];
                    a.adultAttestedAt = OffsetDateTime.now();
                    a.roles = new String[] {"admin", "customer"};
                    a.createdAt = OffsetDateTime.now();
                    a.updatedAt = a.createdAt;
                    return a.persist().replaceWithVoid();
                }))
                .onFailure(AccountService::isUniqueViolation).recoverWithNull().replaceWithVoid()
                .invoke(() -> LOG.info("Created the bootstrap admin account")));
    }

    // ------------------------------------------------------------------ helpers

    /**
     * An account's email holds no invisible character (a zero-width space, a direction mark, a soft hyphen) and no
     * space: Bean Validation's @Email lets them through, and ada@\u200bexample.com would be a second account that
     * looks like Ada's everywhere it is shown.
     */
    private static String visibleEmail(String field, String email) {
        if (email.codePoints().anyMatch(c -> Character.getType(c) == Character.FORMAT || Character.isWhitespace(c)
                || Character.isSpaceChar(c))) {
            throw ProblemException.invalid(field, "must not hold spaces or invisible characters");
        }
        return email;
    }

    /**
     * A name without its surrounding whitespace, Unicode's too: U+3000 passes @NotBlank (which trims ASCII only),
     * and no-break spaces pass strip() as well.
     */
    private static String personName(String raw) {
        String name = raw.strip();
        if (name.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            throw ProblemException.invalid("name", "must not be blank");
        }
        return name;
    }

    private Uni<Account> require(UUID id) {
        return Account.<Account>findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Account"));
    }

    /** The signed-in caller's own account: gone (erased while the token lived) is a 401, as checkout answers. */
    private Uni<Account> mine(UUID id) {
        return Account.<Account>findById(id).onItem().ifNull().failWith(ProblemException::accountErased);
    }

    private Uni<Account> mineLocked(UUID id) {
        return Account.<Account>findById(id, LockModeType.PESSIMISTIC_WRITE).onItem().ifNull().failWith(ProblemException::accountErased);
    }

    /**
     * Locks the account row for an erasure about to begin (privacy), as the account's own edits lock it before their
     * rows; no key update still lets other features' foreign keys (a checkout's order) through until the row goes.
     */
    public static Uni<Void> lockForErasure(io.vertx.mutiny.sqlclient.SqlConnection conn, UUID accountId) {
        return conn.preparedQuery("select 1 from account where id = $1 for no key update").execute(io.vertx.mutiny.sqlclient.Tuple.of(accountId))
                .replaceWithVoid();
    }

    /**
     * Passes the account's erasure gate (until the transaction ends) and answers whether the account is still there,
     * as an erasure may have just ended: a write that an erasure must see or be stopped by asks this first. Both
     * statements go out together (pipelined), so a checkout pays one round trip for them.
     */
    public static Uni<Boolean> passErasureGate(io.vertx.mutiny.sqlclient.SqlConnection conn, UUID accountId) {
        return Uni.combine().all().unis(com.harmony.platform.ErasureGate.pass(conn, com.harmony.platform.ErasureGate.account(accountId)),
                conn.preparedQuery("select exists (select 1 from account where id = $1)").execute(io.vertx.mutiny.sqlclient.Tuple.of(accountId))
                        .map(rows -> rows.iterator().next().getBoolean(0)))
                .with((passed, there) -> there);
    }

    /**
     * The account row locked until the transaction ends: concurrent changes of one account (a customer's edits of
     * the profile or the address book from two tabs, staff changing its roles) then apply one after the other,
     * each to what the other left, instead of one failing on the row's version or both setting a default address.
     */
    private Uni<Account> requireLocked(UUID id) {
        return Account.<Account>findById(id, LockModeType.PESSIMISTIC_WRITE).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("Account"));
    }

    /** Never inside a Hibernate session or transaction: it takes a pool connection of its own. */
    private Uni<AccountView> view(Account a) {
        return consents.current(Subject.account(a.id)).map(states -> AccountView.of(a, marketing(states)));
    }

    /** The same inside the current Hibernate session, on its connection. */
    private Uni<AccountView> viewIn(Account a) {
        return Panache.getSession().chain(s -> consents.current(s, Subject.account(a.id))).map(states -> AccountView.of(a, marketing(states)));
    }

    private static MarketingView marketing(List<ConsentService.State> states) {
        return new MarketingView(states.get(Purpose.MARKETING_EMAIL.ordinal()).granted(),
                states.get(Purpose.MARKETING_POSTAL_MAIL.ordinal()).granted(), states.get(Purpose.MARKETING_PHONE.ordinal()).granted());
    }

    /** The current password, checked under the throttle: the attempt is reserved first and given back when right. */
    private Uni<Void> checkCurrentPassword(Account a, String given, String ip) {
        return throttle.passwordCheck(a.id, ip).chain(permit -> passwords.verify(given, a.passwordHash)
                .onFailure().call(permit::release) // a busy pool is not a wrong password
                .chain(v -> {
                    if (!v.matches()) {
                        return permit.failed().chain(() -> Uni.createFrom().failure(ProblemException.invalid("current_password", "is not your current password")));
                    }
                    return permit.release();
                }).onCancellation().call(permit::release));
    }

    /** The marketing opt-ins given at registration (P16, P17); a channel left out is not recorded. */
    private static Map<Purpose, Boolean> choices(MarketingChoices m) {
        Map<Purpose, Boolean> choices = new java.util.EnumMap<>(Purpose.class);
        if (m != null) {
            if (m.email() != null) choices.put(Purpose.MARKETING_EMAIL, m.email());
            if (m.postalMail() != null) choices.put(Purpose.MARKETING_POSTAL_MAIL, m.postalMail());
            if (m.phone() != null) choices.put(Purpose.MARKETING_PHONE, m.phone());
        }
        return choices;
    }

    private static String[] normalise(List<String> interests) {
        return interests == null ? new String[0] : interests.stream().map(String::strip).distinct().toArray(String[]::new);
    }

    private static ProblemException emailTaken() {
        return new ProblemException(AccountProblems.EMAIL_TAKEN, "This email address cannot be used for a new account.");
    }

    private static ProblemException invalidToken() {
        return new ProblemException(AccountProblems.INVALID_TOKEN, "The link is invalid, expired or already used; ask for a new one.");
    }

    static boolean isUniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PgException pg && "23505".equals(pg.getSqlState())
                    || c instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
