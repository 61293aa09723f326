package com.harmony.engagement;

import com.harmony.engagement.EngagementRequests.Answer;
import com.harmony.engagement.EngagementRequests.QuestionInput;
import com.harmony.engagement.EngagementViews.Question;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A survey's questions and the answers they accept. Every answer is checked against its question, and
 * every fault is reported at once, field by field (answers[key]), so a form can mark them all.
 */
final class SurveyQuestions {

    static final String SINGLE = "single_choice";
    static final String MULTIPLE = "multiple_choice";
    static final String TEXT = "free_text";
    static final String RATING = "rating";

    private SurveyQuestions() {
    }

    /** The questions as stored, checked beyond what the annotations can say: unique keys, options only where they belong. */
    static List<Question> define(List<QuestionInput> inputs) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            QuestionInput q = inputs.get(i);
            String at = "questions[" + i + "]";
            if (!keys.add(q.key())) {
                errors.add(new Problem.FieldError(at + ".key", "is used by an earlier question"));
            }
            List<String> options = q.options() == null ? List.of() : q.options().stream().map(String::strip).toList();
            boolean choice = SINGLE.equals(q.kind()) || MULTIPLE.equals(q.kind());
            if (choice && options.size() < 2) {
                errors.add(new Problem.FieldError(at + ".options", "a choice question needs at least two options"));
            } else if (choice && new LinkedHashSet<>(options).size() != options.size()) {
                errors.add(new Problem.FieldError(at + ".options", "must be distinct"));
            } else if (!choice && !options.isEmpty()) {
                errors.add(new Problem.FieldError(at + ".options", "only choice questions have options"));
            }
            out.add(new Question(q.key(), q.kind(), q.prompt().strip(), options, Boolean.TRUE.equals(q.required())));
        }
        throwIfAny(errors, "The survey's questions have invalid fields.");
        return out;
    }

    /**
     * The answers checked against the questions: unknown question, the wrong kind of answer, an option not
     * offered, a rating outside 1 to 5, a required question left out. Answers the values to store, by key.
     */
    static Map<String, Object> check(List<Question> questions, Map<String, Answer> answers) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, Question> byKey = new LinkedHashMap<>();
        questions.forEach(q -> byKey.put(q.key(), q));
        answers.keySet().stream().filter(k -> !byKey.containsKey(k)).sorted()
                .forEach(k -> errors.add(new Problem.FieldError(field(k), "is not a question of this survey")));
        Map<String, Object> stored = new LinkedHashMap<>();
        for (Question q : questions) {
            Answer a = answers.get(q.key());
            Object value = a == null ? null : value(q, a, errors);
            if (value != null) {
                stored.put(q.key(), value);
            } else if (q.required() && (a == null || errors.stream().noneMatch(e -> e.field().startsWith(field(q.key()))))) {
                errors.add(new Problem.FieldError(field(q.key()), "is required"));
            }
        }
        throwIfAny(errors, "The answers do not fit the survey's questions.");
        return stored;
    }

    /** The stored form of one answer ({"choice": ...} and so on), null when it says nothing or is wrong (then errors tell why). */
    private static Object value(Question q, Answer a, List<Problem.FieldError> errors) {
        String at = field(q.key());
        String expected = switch (q.kind()) {
            case SINGLE -> "choice";
            case MULTIPLE -> "choices";
            case TEXT -> "text";
            default -> "rating";
        };
        List<String> given = new ArrayList<>();
        if (a.choice() != null) given.add("choice");
        if (a.choices() != null) given.add("choices");
        if (a.text() != null) given.add("text");
        if (a.rating() != null) given.add("rating");
        given.remove(expected);
        if (!given.isEmpty()) {
            errors.add(new Problem.FieldError(at, "is a " + q.kind() + " question: answer with " + expected + " only"
                    + (RATING.equals(q.kind()) ? " (1 to 5)" : "")));
            return null;
        }
        return switch (q.kind()) {
            case SINGLE -> {
                if (a.choice() == null) yield null;
                if (!q.options().contains(a.choice())) {
                    errors.add(new Problem.FieldError(at + ".choice", "is not one of the options: " + String.join(", ", q.options())));
                    yield null;
                }
                yield Map.of("choice", a.choice());
            }
            case MULTIPLE -> {
                if (a.choices() == null || a.choices().isEmpty()) yield null;
                List<String> wrong = a.choices().stream().filter(c -> !q.options().contains(c)).toList();
                if (!wrong.isEmpty()) {
                    errors.add(new Problem.FieldError(at + ".choices", "offers no " + String.join(", ", wrong) + "; the options are: "
                            + String.join(", ", q.options())));
                    yield null;
                }
                // in the order the question lists them, each once
                yield Map.of("choices", q.options().stream().filter(a.choices()::contains).toList());
            }
            case TEXT -> a.text() == null || a.text().isBlank() ? null : Map.of("text", a.text().strip());
            default -> {
                if (a.rating() == null) yield null;
                if (a.rating() < 1 || a.rating() > 5) {
                    errors.add(new Problem.FieldError(at + ".rating", "must be between 1 and 5"));
                    yield null;
                }
                yield Map.of("rating", a.rating());
            }
        };
    }

    private static String field(String key) {
        return "answers[" + key + "]";
    }

    private static void throwIfAny(List<Problem.FieldError> errors, String detail) {
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, detail, errors, Map.of());
        }
    }
}
