package com.harmony.account;

import com.harmony.platform.NotBlankText;
import com.harmony.platform.PostalAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What clients send to the account endpoints. Unknown fields (roles, ids, timestamps) are refused. */
public final class AccountRequests {

    static final String PHONE = com.harmony.platform.PostalAddress.PHONE;

    private AccountRequests() {
    }

    @Schema(name = "MarketingChoices", description = "Marketing opt-ins per channel (P16, P17); all default to false")
    public record MarketingChoices(Boolean email, Boolean postalMail, Boolean phone) {
    }

    @Schema(name = "RegisterRequest", description = "Either birth_date or adult_confirmed=true is required: under-18s cannot register (P31)")
    public record RegisterRequest(
            @NotBlank @Email @Size(max = 254) @Schema(examples = "ada@example.com") String email,
            @NotNull @Size(max = 128) @Schema(description = "8 to 128 characters, any characters; common passwords are refused", examples = "correct horse battery staple") String password,
            @NotBlank @Size(max = 200) @Schema(examples = "Ada Lovelace") String name,
            @Size(max = 30) @Pattern(regexp = PHONE, message = "must be a phone number") @com.harmony.platform.NoCardNumber(minDigits = 16) @Schema(examples = "+1 217 555 0100") String phone,
            @NotNull @Valid PostalAddress address,
            @Size(max = 20) List<@NotBlank @Size(max = 60) String> interests,
            @Schema(description = "ISO 8601 date", examples = "1990-12-10") LocalDate birthDate,
            @Schema(description = "An explicit statement of being 18 or older, instead of a birth date") Boolean adultConfirmed,
            @Valid MarketingChoices marketing) {
    }

    @Schema(name = "UpdateProfileRequest", description = "Fields left out (or null) stay as they are")
    public record UpdateProfileRequest(
            @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") @NotBlankText String name,
            @Size(max = 30) @Pattern(regexp = "^$|" + PHONE, message = "must be a phone number, or empty to remove it")
            @com.harmony.platform.NoCardNumber(minDigits = 16) @Schema(description = "An empty string removes it") String phone,
            @Size(max = 20) List<@NotBlank @Size(max = 60) String> interests) {
    }

    @Schema(name = "AddressInput")
    public record AddressInput(
            @NotNull @Valid PostalAddress address,
            @Schema(description = "Make this the default shipping address") Boolean defaultShipping,
            @Schema(description = "Make this the default billing address") Boolean defaultBilling) {
    }

    @Schema(name = "AddressPatch", description = "Fields left out (or null) stay as they are")
    public record AddressPatch(@Valid PostalAddress address, Boolean defaultShipping, Boolean defaultBilling) {
    }

    @Schema(name = "ChangePasswordRequest")
    public record ChangePasswordRequest(@NotNull @Size(max = 128) String currentPassword, @NotNull @Size(max = 128) String newPassword) {
    }

    @Schema(name = "ChangeEmailRequest", description = "A confirmation link goes to the new address; the change happens when it is followed")
    public record ChangeEmailRequest(@NotBlank @Email @Size(max = 254) String newEmail, @NotNull @Size(max = 128) String currentPassword) {
    }

    @Schema(name = "SetRolesRequest")
    public record SetRolesRequest(
            @NotNull @Size(min = 1, max = 5) List<@NotNull @Size(max = 16) @Pattern(regexp = "customer|affiliate|support|legal|admin", message = "must be customer, affiliate, support, legal or admin") String> roles) {
    }
}
