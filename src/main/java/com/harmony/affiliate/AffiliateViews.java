package com.harmony.affiliate;

import com.harmony.platform.Money;
import com.harmony.platform.ProblemException;
import com.harmony.platform.QueryParams;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The shapes the affiliate feature answers with (JSON built by PostgreSQL; these records are its contract). */
public final class AffiliateViews {

    private AffiliateViews() {
    }

    @Schema(name = "Campaign")
    public record CampaignView(String id, String code, String name, String createdAt) {
    }

    @Schema(name = "Affiliate")
    public record AffiliateView(String id, String accountId,
            @Schema(enumeration = {"pending", "approved", "rejected", "suspended"}) String status,
            @Schema(nullable = true, description = "The referral code, once approved", examples = "ADA7Q2M9") String code,
            String website, String payoutEmail, String termsVersion,
            @Schema(description = "Commission rate in basis points (1000 = 10%)") int rateBp,
            List<CampaignView> campaigns, String appliedAt, @Schema(nullable = true) String decidedAt,
            @Schema(nullable = true) String decisionNote) {
    }

    @Schema(name = "AffiliatePage")
    public record AffiliatePage(List<AffiliateView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "CommissionTotals", description = "Sums of commission amounts by status (reversed: how many)")
    public record CommissionTotals(long pending, long approved, long paid, long reversed, @Schema(nullable = true) String currency) {
    }

    @Schema(name = "CampaignFigures", description = "campaign_code null: the affiliate's own code")
    public record CampaignFigures(@Schema(nullable = true) String campaignCode, long visits, long conversions, long commissionMinor) {
    }

    @Schema(name = "DayFigures")
    public record DayFigures(LocalDate date, long visits, long conversions, long commissionMinor) {
    }

    @Schema(name = "AffiliateDashboard", description = "Counts and amounts only: never a visitor's IP or user agent, nor who bought what")
    public record Dashboard(LocalDate from, LocalDate to, long visits, long conversions, double conversionRate,
            CommissionTotals commissions, List<CampaignFigures> perCampaign, List<DayFigures> perDay) {
    }

    @Schema(name = "CommissionLine")
    public record CommissionLine(@Schema(description = "Opaque reference for questions about this line") String reference, Money amount,
            @Schema(enumeration = {"pending", "approved", "paid", "reversed"}) String status, LocalDate date) {
    }

    @Schema(name = "CommissionPage")
    public record CommissionPage(List<CommissionLine> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "PayoutLine")
    public record PayoutLine(String affiliateId, String affiliateCode, Money amount, int commissions) {
    }

    @Schema(name = "Payout", description = "A payout run: what each affiliate is paid for the period")
    public record PayoutView(String id, LocalDate periodFrom, LocalDate periodTo, Money total, List<PayoutLine> lines, String createdAt) {
    }

    @Schema(name = "PayoutPage")
    public record PayoutPage(List<PayoutView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "AffiliateTerms")
    public record Terms(@Schema(examples = "2026-01") String version) {
    }

    /** A reporting period from query parameters: default the last 30 days, at most 366. */
    static LocalDate[] period(String from, String to) {
        LocalDate end = QueryParams.dateOr("to", to, LocalDate.now());
        LocalDate start = QueryParams.dateOr("from", from, end.minusDays(29));
        if (end.isBefore(start)) {
            throw ProblemException.invalid("to", "must not be before from");
        }
        if (start.plusDays(366).isBefore(end)) {
            throw ProblemException.invalid("from", "the period is at most 366 days");
        }
        return new LocalDate[] {start, end};
    }
}
