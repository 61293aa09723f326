package com.harmony.account.auth;

import com.harmony.platform.MailQueue;
import com.harmony.platform.MailQueue.Message;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The emails sign-in sends. They go through the mail queue: stored (sealed) before the caller moves
 * on, sent when the mail server takes them, so a mail server that is down delays a link but loses none.
 */
@ApplicationScoped
public class AuthMails {

    private final MailQueue mails;
    private final String resetUrl;
    private final String emailChangeUrl;

    AuthMails(MailQueue mails,
            AuthConfig config) {
        String resetUrl = config.links().passwordReset();
        String emailChangeUrl = config.links().emailChange();
        this.mails = mails;
        this.resetUrl = resetUrl;
        this.emailChangeUrl = emailChangeUrl;
    }

    public Uni<Void> passwordReset(UUID account, String to, String token) {
        return mails.send(account, Message.text(to, "Reset your Harmony password", """
                Someone asked to reset the password of your Harmony account.
                If it was you, follow this link within 30 minutes; it works once:

                %s

                If it was not you, ignore this email: your password stays as it is.
                Harmony never asks for your password by email or phone.
                """.formatted(link(resetUrl, token))));
    }

    public Uni<Void> confirmEmailChange(UUID account, String to, String token) {
        return mails.send(account, Message.text(to, "Confirm your new Harmony email address", """
                Follow this link within 24 hours to make this the email address of your Harmony account:

                %s

                If you did not ask for this, ignore this email.
                """.formatted(link(emailChangeUrl, token))));
    }

    public Uni<Void> welcome(UUID account, String to) {
        return mails.send(account, Message.text(to, "Welcome to Harmony", """
                Your Harmony account is ready: sign in with this email address and the password you chose.

                If you did not register, tell us by replying to this email.
                """));
    }

    /** To the owner of an address someone tried to register again: registration itself says nothing. */
    public Uni<Void> registrationAttempt(String to) {
        return mails.send(null, Message.text(to, "Someone tried to register with your email address", """
                Someone just tried to create a Harmony account with this email address, which already has one.
                Nothing changed in your account.

                If it was you: sign in instead, or reset your password from the sign-in page.
                If it was not you, you can ignore this email.
                """));
    }

    /** To the owner of an address another account tried to move to: no link, just the fact. */
    public Uni<Void> emailChangeAttempt(String to) {
        return mails.send(null, Message.text(to, "Someone tried to use your email address", """
                Someone signed in to another Harmony account just asked to change that account's email address
                to this one, which already belongs to your account. Nothing changed in your account, and the
                other account keeps its own address.

                If it was you, with a second account: sign in to this one instead.
                If it was not you, you can ignore this email.
                """));
    }

    /** To the old address after an email change, so a hijacked account does not change hands unnoticed. */
    public Uni<Void> emailChanged(UUID account, String oldAddress, String newAddress) {
        return mails.send(account, Message.text(oldAddress, "Your Harmony email address was changed", """
                The email address of your Harmony account was changed to %s. Every session was signed out
                and the password reset and email change links we sent to this address no longer work.

                If you did not do this, contact us at once: your account may be in someone else's hands.
                """.formatted(mask(newAddress))));
    }

    /** a***@example.com: enough for the owner to recognise, not a gift to whoever reads the old mailbox. */
    private static String mask(String email) {
        int at = email.indexOf('@');
        return at <= 1 ? "***" + email.substring(Math.max(at, 0)) : email.charAt(0) + "***" + email.substring(at);
    }

    private static String link(String base, String token) {
        return base + (base.contains("?") ? "&" : "?") + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
