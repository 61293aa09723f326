package com.harmony.engagement;

import com.harmony.engagement.EngagementRequests.Answer;
import com.harmony.platform.PostalAddress;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What contests and surveys answer. Several documents are built by PostgreSQL (json_build_object in the
 * services); these records describe them for the spec and must keep the same fields.
 */
final class EngagementViews {

    private EngagementViews() {
    }

    static final String MARKETING_QUESTION = "May we send you future marketing information from The Harmony Company? "
            + "Answer per channel: email, postal mail, phone. Leaving a channel unticked means no.";
    static final String ADULTS_ONLY = "Open to adults only: give your birth date or confirm you are 18 or older. "
            + "We do not collect personal information from anyone under 18.";

    /** A new contest or survey: its id (for the Location header) and its document. */
    record Created(java.util.UUID id, String doc) {
    }

    @Schema(name = "Contest", description = "A contest as the public sees it; entries are never shown")
    public record ContestView(String id, String title, String rules, String opensAt, String closesAt, int entriesPerPerson, int winners,
            @Schema(description = "Open for entries now") boolean open) {
    }

    @Schema(name = "ContestPage")
    public record ContestPage(List<ContestView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "AdminContest", description = "A contest with its entry count and draw state")
    public record AdminContestView(String id, String title, String rules, String opensAt, String closesAt, int entriesPerPerson, int winners,
            boolean open, long entryCount, @Schema(nullable = true, description = "When winners were drawn; null before") String drawnAt,
            String createdBy, String createdAt) {
    }

    @Schema(name = "AdminContestPage")
    public record AdminContestPage(List<AdminContestView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "ContestEntryForm", description = "The entry form, prefilled for a signed-in customer from My Account "
            + "(name, email, phone, default shipping address); empty for a visitor")
    public record EntryForm(String contestId, boolean open, boolean signedIn, @Schema(nullable = true) String name,
            @Schema(nullable = true) String email, @Schema(nullable = true) String phone, @Schema(nullable = true) PostalAddress address,
            @Schema(description = "The marketing question to show with the form (P5)") String marketingQuestion,
            @Schema(description = "The age rule to show with the form (P31)") String ageRequirement) {
    }

    @Schema(name = "ContestEntryReceipt")
    public record EntryReceipt(String id, String contestId, String enteredAt,
            @Schema(description = "How many more entries this person may make") int entriesLeft,
            @Schema(description = "Whose entry: the signed-in account's (listed in My Account) or the visitor's",
                    enumeration = {"account", "visitor"}) String enteredAs) {
    }

    @Schema(name = "MyContestEntry", description = "One of my entries, with what I gave")
    public record MyEntryView(String id, String contestId, String contestTitle, String name, String email,
            @Schema(nullable = true) String phone, PostalAddress address, String enteredAt,
            @Schema(nullable = true, description = "Whether this entry won; null until winners are drawn") Boolean won) {
    }

    @Schema(name = "MyContestEntryPage")
    public record MyEntryPage(List<MyEntryView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "SurveyQuestion")
    public record Question(String key, @Schema(enumeration = {"single_choice", "multiple_choice", "free_text", "rating"}) String kind,
            String prompt, @Schema(description = "The options of a choice question; empty for the other kinds") List<String> options,
            boolean required) {
    }

    @Schema(name = "Survey", description = "A survey as the public sees it; responses are never shown")
    public record SurveyView(String id, String title, @Schema(nullable = true) String description, String opensAt,
            @Schema(nullable = true) String closesAt, boolean open, List<Question> questions) {
    }

    @Schema(name = "SurveyPage")
    public record SurveyPage(List<SurveyView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "AdminSurvey")
    public record AdminSurveyView(String id, String title, @Schema(nullable = true) String description, String opensAt,
            @Schema(nullable = true) String closesAt, boolean open, List<Question> questions, long responseCount, String createdBy,
            String createdAt) {
    }

    @Schema(name = "AdminSurveyPage")
    public record AdminSurveyPage(List<AdminSurveyView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "SurveyResponseReceipt")
    public record ResponseReceipt(String id, String surveyId, String respondedAt,
            @Schema(description = "Whose response: the signed-in account's (listed in My Account) or the visitor's",
                    enumeration = {"account", "visitor"}) String respondedAs) {
    }

    @Schema(name = "MySurveyResponse", description = "One of my survey responses, with what I gave")
    public record MyResponseView(String id, String surveyId, String surveyTitle, String name, String email,
            @Schema(nullable = true) String phone, @Schema(nullable = true) PostalAddress address, Map<String, Answer> answers,
            String respondedAt) {
    }

    @Schema(name = "MySurveyResponsePage")
    public record MyResponsePage(List<MyResponseView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "ContestPick", description = "One pick of the draw sequence")
    public record PickView(@Schema(description = "i in the sequence: HMAC-SHA256(seed, \"draw:\" + i)") int index, String entryId,
            @Schema(nullable = true, description = "The disqualified winner's entry this pick replaced") String replaces, String pickedAt,
            boolean disqualified, @Schema(nullable = true) String disqualificationReason, @Schema(nullable = true) String disqualifiedAt) {
    }

    @Schema(name = "ContestWinner", description = "A winner (a pick not disqualified) with the contact details given at entry, to "
            + "administer the prize (P5); null fields when the entry was erased since")
    public record WinnerView(int index, String entryId, @Schema(nullable = true) String name, @Schema(nullable = true) String email,
            @Schema(nullable = true) String phone, @Schema(nullable = true) PostalAddress address) {
    }

    @Schema(name = "ContestDraw", description = "A recomputable draw. " + Draw.DESCRIPTION)
    public record DrawView(String contestId, @Schema(enumeration = Draw.ALGORITHM) String algorithm,
            @Schema(description = "32 bytes, lowercase hex") String seed,
            @Schema(description = "SHA-256 (hex) of entry_ids, each followed by \\n") String entriesDigest,
            @Schema(description = "Every entry at the draw, sorted") List<String> entryIds, String drawnBy, String drawnAt,
            @Schema(description = "Every pick in sequence order, disqualified ones included") List<PickView> picks,
            List<WinnerView> winners) {
    }
}
