package com.harmony.account;

import com.harmony.platform.PostalAddress;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the account endpoints answer. No view ever holds a password or its hash (P25). */
public final class AccountViews {

    private AccountViews() {
    }

    @Schema(name = "MarketingConsents", description = "The current marketing choice per channel")
    public record MarketingView(boolean email, boolean postalMail, boolean phone) {
    }

    @Schema(name = "Account")
    public record AccountView(
            String id,
            @Schema(examples = "ada@example.com") String email,
            @Schema(examples = "Ada Lovelace") String name,
            @Schema(nullable = true) String phone,
            List<String> interests,
            @Schema(nullable = true) LocalDate birthDate,
            @Schema(examples = "[\"customer\"]") List<String> roles,
            MarketingView marketing,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {

        static AccountView of(Account a, MarketingView marketing) {
            return new AccountView(a.id.toString(), a.email, a.name, a.phone, List.of(a.interests), a.birthDate,
                    List.copyOf(a.roleSet()), marketing, a.createdAt, a.updatedAt);
        }
    }

    @Schema(name = "Address", description = "An address book entry")
    public record AddressView(String id, PostalAddress address, boolean defaultShipping, boolean defaultBilling,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        static AddressView of(Address a) {
            return new AddressView(a.id.toString(), a.postal(), a.defaultShipping, a.defaultBilling, a.createdAt, a.updatedAt);
        }
    }

    @Schema(name = "AddressList")
    public record AddressList(List<AddressView> data) {
    }

    @Schema(name = "AccountSummary", description = "An account as the back office lists it")
    public record AccountSummary(String id, String email, String name, List<String> roles, OffsetDateTime createdAt) {

        static AccountSummary of(Account a) {
            return new AccountSummary(a.id.toString(), a.email, a.name, List.copyOf(a.roleSet()), a.createdAt);
        }
    }

    @Schema(name = "AccountPage")
    public record AccountPage(List<AccountSummary> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "RegistrationAccepted", description = "The same answer whether or not the email already had an account")
    public record RegistrationAccepted(
            @Schema(examples = "ada@example.com") String email,
            @Schema(examples = "Registration received: sign in with your email address. We have sent you an email.") String message) {

        static RegistrationAccepted of(String email) {
            return new RegistrationAccepted(email, "Registration received: sign in with your email address. We have sent you an email.");
        }
    }
}
