package com.harmony.platform;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A postal address as accounts, orders and carriers use it (personal data, P1). */
@Schema(name = "PostalAddress")
public record PostalAddress(
        @NotBlank @Size(max = 200) @Schema(examples = "Ada Lovelace") String name,
        @NotBlank @Size(max = 200) @Schema(examples = "12 Analytical Way") String line1,
        @Size(max = 200) @Schema(nullable = true) String line2,
        @NotBlank @Size(max = 100) @Schema(examples = "Springfield") String city,
        @Size(max = 100) @Schema(nullable = true, examples = "IL") String region,
        @NotBlank @Size(max = 20) @Pattern(regexp = "^[A-Za-z0-9 -]{2,20}$", message = "must be a postal code") @Schema(examples = "62701") String postalCode,
        @NotBlank @Size(max = 2) @Pattern(regexp = "^[A-Z]{2}$", message = "must be an ISO 3166-1 alpha-2 code such as US") @Schema(examples = "US") String country,
        @Size(max = 30) @Pattern(regexp = "^\\+?[0-9 ()-]{4,30}$", message = "must be a phone number") @Schema(nullable = true, examples = "+1 217 555 0100") String phone) {
}
