package com.harmony.affiliate;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What clients send to the affiliate feature. */
public final class AffiliateRequests {

    static final String CODE = "^[A-Za-z0-9_-]{3,32}$";

    private AffiliateRequests() {
    }

    @Schema(name = "AffiliateApplication", description = "Apply to earn commissions (P31: adults only; give a birth date or adult_confirmed=true)")
    public record ApplyRequest(
            @NotBlank @Size(max = 500) @Pattern(regexp = "^https?://\\S+$", message = "must be an http(s) URL") @Schema(examples = "https://ada.example/blog") String website,
            @NotBlank @Email @Size(max = 320) @Schema(examples = "payouts@ada.example") String payoutEmail,
            @NotBlank @Size(max = 40) @Schema(description = "The terms version accepted (GET /v1/affiliate/terms)", examples = "2026-01") String termsVersion,
            @Schema(description = "Date of birth; under 18 is refused", examples = "1990-12-10") LocalDate birthDate,
            @Schema(description = "I am 18 or older (instead of a birth date)") Boolean adultConfirmed) {
    }

    @Schema(name = "AffiliateDecision", description = "Staff decision on an affiliate", examples = "{\"note\": \"Approved: an established blog\", \"rate_bp\": 1000}")
    public record DecisionRequest(
            @Size(max = 500) String note,
            @Min(0) @Max(10000) @Schema(description = "Commission rate in basis points (1000 = 10%), on approval") Integer rateBp) {
    }

    @Schema(name = "NewCampaign")
    public record CampaignRequest(
            @NotBlank @Size(max = 32) @Pattern(regexp = CODE, message = "3-32 letters, digits, _ or -") @Schema(examples = "ada-summer") String code,
            @NotBlank @Size(max = 200) @Schema(examples = "Summer newsletter") String name) {
    }

    @Schema(name = "ReferralArrival", description = "A visitor arrived through an affiliate link")
    public record ReferralRequest(
            @NotBlank @Size(max = 64) @Schema(description = "The affiliate or campaign code from the link", examples = "ADA7Q2M9") String code,
            @Size(max = 2000) @Schema(examples = "/products/canvas-apron") String landingPage,
            @Size(max = 2000) @Schema(examples = "https://ada.example/blog/aprons") String referrer) {
    }

    @Schema(name = "PayoutRunRequest", description = "Pays approved commissions of orders created in the period (inclusive dates)")
    public record PayoutRunRequest(
            @NotNull @Schema(examples = "2026-11-01") LocalDate periodFrom,
            @NotNull @Schema(examples = "2026-11-30") LocalDate periodTo,
            @Size(max = 3) @Pattern(regexp = "^[A-Z]{3}$", message = "must be an ISO 4217 code") @Schema(examples = "USD") String currency) {
    }
}
