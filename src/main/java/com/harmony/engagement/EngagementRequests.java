package com.harmony.engagement;

import com.harmony.platform.PostalAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What clients send to contests and surveys. Unknown fields are refused, as everywhere. */
final class EngagementRequests {

    static final String PHONE = com.harmony.platform.PostalAddress.PHONE;
    static final String QUESTION_KEY = "^[a-z][a-z0-9_]{0,39}$";
    static final String KINDS = "single_choice|multiple_choice|free_text|rating";

    private EngagementRequests() {
    }

    @Schema(name = "ContestRequest", description = "A contest or sweepstakes (P5)", examples = "{\"title\": \"Summer sweepstakes\", \"rules\": \"Open to residents aged 18 or over. Three winners are drawn at random after entries close and told by email.\", \"opens_at\": \"2030-06-01T08:00:00Z\", \"closes_at\": \"2030-07-01T08:00:00Z\", \"entries_per_person\": 1, \"winners\": 3}")
    public record ContestRequest(
            @NotBlank @Size(max = 200) @Schema(examples = "Summer sweepstakes") String title,
            @NotBlank @Size(max = 20_000) @Schema(description = "The official rules: who may enter, the prizes, how and when winners are drawn and told")
            String rules,
            @Schema(description = "When entries open; now when absent") OffsetDateTime opensAt,
            @NotNull @Schema(description = "When entries close (exclusive); must be in the future and after opens_at") OffsetDateTime closesAt,
            @NotNull @Min(1) @Max(100) @Schema(description = "Entries allowed per person (same account, visitor or email)", examples = "1")
            Integer entriesPerPerson,
            @NotNull @Min(1) @Max(1000) @Schema(description = "How many winners the draw picks", examples = "3") Integer winners) {
    }

    @Schema(name = "SurveyQuestionInput")
    public record QuestionInput(
            @NotBlank @Size(max = 40) @Pattern(regexp = QUESTION_KEY, message = "must be lowercase letters, digits and _, starting with a letter (at most 40)")
            @Schema(description = "The question's name in answers, unique in the survey", examples = "favourite_season") String key,
            @NotNull @Pattern(regexp = "^(" + KINDS + ")$", message = "must be one of " + KINDS)
            @Schema(enumeration = {"single_choice", "multiple_choice", "free_text", "rating"}) String kind,
            @NotBlank @Size(max = 500) @Schema(examples = "Which season do you shop most in?") String prompt,
            @Size(max = 20) @Schema(description = "Two or more distinct options for single_choice and multiple_choice; none for the other kinds")
            List<@NotBlank @Size(max = 200) String> options,
            @Schema(description = "Must be answered; false when absent") Boolean required) {
    }

    @Schema(name = "SurveyRequest", description = "A survey (P5); its questions cannot change once created", examples = "{\"title\": \"How did we do?\", \"description\": \"Two questions, one minute.\", \"opens_at\": \"2030-06-01T08:00:00Z\", \"closes_at\": \"2030-07-01T08:00:00Z\", \"questions\": [{\"key\": \"favourite_season\", \"kind\": \"single_choice\", \"prompt\": \"Which season do you shop most in?\", \"options\": [\"spring\", \"summer\", \"autumn\", \"winter\"], \"required\": true}, {\"key\": \"comments\", \"kind\": \"free_text\", \"prompt\": \"Anything else?\"}]}")
    public record SurveyRequest(
            @NotBlank @Size(max = 200) @Schema(examples = "How did we do?") String title,
            @Size(max = 5_000) String description,
            @Schema(description = "When responses open; now when absent") OffsetDateTime opensAt,
            @Schema(description = "When responses close (exclusive); open-ended when absent") OffsetDateTime closesAt,
            @NotEmpty @Size(max = 50) List<@NotNull @Valid QuestionInput> questions) {
    }

    @Schema(name = "MarketingAnswer", description = "May we send you future marketing information, per channel (P5, P16, P17)? "
            + "Recorded as consents with source contest or survey; a channel left out is not asked")
    public record MarketingAnswer(Boolean email, Boolean postalMail, Boolean phone) {
    }

    @Schema(name = "ContestEntryRequest", description = "Adults only (P31): give birth_date or adult_confirmed=true; under-18s are refused "
            + "and nothing is stored")
    public record ContestEntryRequest(
            @NotBlank @Size(max = 200) @Schema(examples = "Ada Lovelace") String name,
            @NotBlank @Email @Size(max = 254) @Schema(examples = "ada@example.com") String email,
            @Size(max = 30) @Pattern(regexp = PHONE, message = "must be a phone number") @com.harmony.platform.NoCardNumber(minDigits = 16) @Schema(examples = "+1 217 555 0100") String phone,
            @NotNull @Valid PostalAddress address,
            @Schema(description = "Date of birth, checked and not stored", examples = "1990-12-10") LocalDate birthDate,
            @Schema(description = "I am 18 or older (instead of a birth date)") Boolean adultConfirmed,
            @Valid MarketingAnswer marketing) {
    }

    @Schema(name = "SurveyAnswer", description = "One answer, in the field its question's kind takes: choice (single_choice), "
            + "choices (multiple_choice), text (free_text) or rating (rating, 1 to 5)")
    public record Answer(
            @Size(max = 200) String choice,
            @Size(max = 20) List<@NotNull @Size(max = 200) String> choices,
            @Size(max = 5_000) String text,
            @Schema(minimum = "1", maximum = "5") Integer rating) {
    }

    @Schema(name = "SurveyResponseRequest", description = "Adults only (P31): give birth_date or adult_confirmed=true; under-18s are refused "
            + "and nothing is stored", examples = "{\"name\": \"Ada Lovelace\", \"email\": \"ada@example.com\", \"birth_date\": \"1990-12-10\", \"marketing\": {\"email\": true}, \"answers\": {\"favourite_season\": {\"choice\": \"summer\"}}}")
    public record SurveyResponseRequest(
            @NotBlank @Size(max = 200) @Schema(examples = "Ada Lovelace") String name,
            @NotBlank @Email @Size(max = 254) @Schema(examples = "ada@example.com") String email,
            @Size(max = 30) @Pattern(regexp = PHONE, message = "must be a phone number") @com.harmony.platform.NoCardNumber(minDigits = 16) @Schema(examples = "+1 217 555 0100") String phone,
            @Valid PostalAddress address,
            @Schema(description = "Date of birth, checked and not stored", examples = "1990-12-10") LocalDate birthDate,
            @Schema(description = "I am 18 or older (instead of a birth date)") Boolean adultConfirmed,
            @Valid MarketingAnswer marketing,
            @NotNull @Size(max = 50) @Schema(description = "Answers by question key")
            Map<@NotNull @Size(max = 40) String, @NotNull @Valid Answer> answers) {
    }

    @Schema(name = "DisqualificationRequest")
    public record DisqualificationRequest(
            @NotBlank @Size(max = 500) @Schema(examples = "Winner did not answer within 14 days, as the rules require") String reason) {
    }
}
