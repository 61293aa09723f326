package com.harmony.account.auth;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The emails sign-in sends, through the reactive SMTP client (never on the event loop's time). */
@ApplicationScoped
public class AuthMails {

    private final ReactiveMailer mailer;
    private final String resetUrl;
    private final String emailChangeUrl;

    AuthMails(ReactiveMailer mailer,
            @ConfigProperty(name = "harmony.links.password-reset") String resetUrl,
            @ConfigProperty(name = "harmony.links.email-change") String emailChangeUrl) {
        this.mailer = mailer;
        this.resetUrl = resetUrl;
        this.emailChangeUrl = emailChangeUrl;
    }

    public Uni<Void> passwordReset(String to, String token) {
        return mailer.send(Mail.withText(to, "Reset your Harmony password", """
                Someone asked to reset the password of your Harmony account.
                If it was you, follow this link within 30 minutes; it works once:

                %s

                If it was not you, ignore this email: your password stays as it is.
                Harmony never asks for your password by email or phone.
                """.formatted(link(resetUrl, token))));
    }

    public Uni<Void> confirmEmailChange(String to, String token) {
        return mailer.send(Mail.withText(to, "Confirm your new Harmony email address", """
                Follow this link within 24 hours to make this the email address of your Harmony account:

                %s

                If you did not ask for this, ignore this email.
                """.formatted(link(emailChangeUrl, token))));
    }

    private static String link(String base, String token) {
        return base + (base.contains("?") ? "&" : "?") + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
