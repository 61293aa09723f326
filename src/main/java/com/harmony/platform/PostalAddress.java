package com.harmony.platform;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A postal address as accounts, orders and carriers use it (personal data, P1). No field can carry a card number
 * (P8): the text fields and the postal code refuse a Luhn-valid run of 13 to 19 digits, the phone one of 16 to 19
 * (E.164 numbers have at most 15 digits, so no phone number is refused).
 */
@Schema(name = "PostalAddress")
public record PostalAddress(
        @NotBlank @Size(max = 200) @OneLine @NoCardNumber @Schema(examples = "Ada Lovelace") String name,
        @NotBlank @Size(max = 200) @OneLine @NoCardNumber @Schema(examples = "12 Analytical Way") String line1,
        @Size(max = 200) @OneLine @NoCardNumber @Schema(nullable = true) String line2,
        @NotBlank @Size(max = 100) @OneLine @NoCardNumber @Schema(examples = "Springfield") String city,
        @Size(max = 100) @OneLine @NoCardNumber @Schema(nullable = true, examples = "IL") String region,
        @NotBlank @Size(max = 20) @Pattern(regexp = POSTAL_CODE, message = "must be a postal code") @NoCardNumber @Schema(examples = "62701") String postalCode,
        @NotBlank @Size(max = 2) @Pattern(regexp = "^[A-Z]{2}$", message = "must be an ISO 3166-1 alpha-2 code such as US") @Schema(examples = "US") String country,
        @Size(max = 30) @Pattern(regexp = PHONE, message = "must be a phone number") @NoCardNumber(minDigits = 16) @Schema(nullable = true, examples = "+1 217 555 0100") String phone) {

    public static final String POSTAL_CODE = "^[A-Za-z0-9 -]{2,20}$";
    public static final String PHONE = "^\\+?[0-9 ()-]{4,30}$";
}
