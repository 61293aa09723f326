package com.harmony.analytics;

import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.QueryParams;
import com.harmony.platform.ProblemType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the analytics operations accept and answer, and the checks on them. */
final class AnalyticsViews {

    /** What a client may send, query string included; the query string is dropped before the stored limit applies. */

    static final int MAX_RAW_PATH = 2048;

    static final int MAX_PATH = 300;
    static final long MAX_TIME_ON_PAGE_MS = 86_400_000L;
    static final int MAX_DAYS = 366;

    private AnalyticsViews() {
    }

    @Schema(name = "PageView", description = "One page the storefront showed. Query string and fragment are removed before anything is stored.")
    record PageViewRequest(
            @Schema(required = true, maxLength = MAX_RAW_PATH, examples = "/products/trail-shoe?utm_source=mail",
                    description = "The page's path; must start with /, at most 300 characters once the query string and fragment are removed")
            String path,
            @Schema(nullable = true, minimum = "0", maximum = "86400000", description = "How long the page was shown, in milliseconds")
            Long timeOnPageMs) {

        /** The view as it may be stored, or a validation problem naming each bad field. */
        PageView checked() {
            List<Problem.FieldError> errors = new ArrayList<>();
            String p = path == null ? null : withoutQuery(path);
            if (p == null) {
                errors.add(new Problem.FieldError("path", "is required"));
            } else if (path.length() > MAX_RAW_PATH) {
                errors.add(new Problem.FieldError("path", "must be at most " + MAX_RAW_PATH + " characters"));
            } else if (!p.startsWith("/")) {
                errors.add(new Problem.FieldError("path", "must start with /"));
            } else if (p.length() > MAX_PATH) {
                errors.add(new Problem.FieldError("path", "must be at most " + MAX_PATH + " characters without the query string"));
            } else if (p.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                errors.add(new Problem.FieldError("path", "must not contain spaces or control characters"));
            }
            if (timeOnPageMs != null && (timeOnPageMs < 0 || timeOnPageMs > MAX_TIME_ON_PAGE_MS)) {
                errors.add(new Problem.FieldError("time_on_page_ms", "must be between 0 and " + MAX_TIME_ON_PAGE_MS));
            }
            if (!errors.isEmpty()) {
                throw new ProblemException(ProblemType.VALIDATION_FAILED, "The request has invalid fields.", errors, Map.of());
            }
            return new PageView(p, timeOnPageMs == null ? null : timeOnPageMs.intValue());
        }

        /** The query string and fragment may carry personal data (emails, tokens, search terms): they are never kept. */
        private static String withoutQuery(String raw) {
            int q = raw.indexOf('?');
            int f = raw.indexOf('#');
            int cut = q < 0 ? f : f < 0 ? q : Math.min(q, f);
            return cut < 0 ? raw : raw.substring(0, cut);
        }
    }

    /** A checked page view: a bare path and an optional time on page. */
    record PageView(String path, Integer timeOnPageMs) {
    }

    @Schema(name = "DailyPageViews", description = "Views of one path on one day (UTC)")
    record DailyPageViews(LocalDate date, String path, long views,
            @Schema(nullable = true, description = "Median time on page in milliseconds, over the views that reported one; null when none did")
            Integer medianTimeOnPageMs) {
    }

    @Schema(name = "PageViewReport", description = "Page views per day and path, oldest day first; days older than the retention come from the daily roll-up")
    record DailyReport(LocalDate from, LocalDate to, @Schema(nullable = true) String path, List<DailyPageViews> days) {
    }

    /** A reporting period from query parameters: by default the last 30 days (UTC), at most 366 days. */
    static LocalDate[] period(String from, String to) {
        LocalDate end = QueryParams.dateOr("to", to, LocalDate.now(ZoneOffset.UTC));
        LocalDate start = QueryParams.dateOr("from", from, end.minusDays(29));
        if (end.isBefore(start)) {
            throw ProblemException.invalid("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
            throw ProblemException.invalid("from", "the period is at most " + MAX_DAYS + " days");
        }
        return new LocalDate[] {start, end};
    }

    /** An optional path filter, held to the same rules as a recorded path. */
    static String pathFilter(String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        return new PageViewRequest(path, null).checked().path();
    }
}
