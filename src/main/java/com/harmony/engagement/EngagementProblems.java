package com.harmony.engagement;

import com.harmony.platform.ProblemType;

/** The problem types contests, sweepstakes and surveys answer. */
public final class EngagementProblems {

    /** An entrant who is under 18, or who does not say they are an adult (P31); nothing is stored. */
    public static final ProblemType UNDER_AGE = new ProblemType("under-age", 422, "Entrants must be 18 or older");
    /** Entering before opens_at or from closes_at on. */
    public static final ProblemType CONTEST_CLOSED = new ProblemType("contest-closed", 409, "Contest not open for entries");
    /** The contest's entries per person are used up (same account, visitor or email). */
    public static final ProblemType ENTRY_LIMIT = new ProblemType("entry-limit-reached", 409, "Entry limit reached");
    /** Responding before opens_at or from closes_at on. */
    public static final ProblemType SURVEY_CLOSED = new ProblemType("survey-closed", 409, "Survey not open for responses");
    /** One response per person and survey. */
    public static final ProblemType ALREADY_RESPONDED = new ProblemType("already-responded", 409, "Already responded");
    /** Winners are drawn only once entries have closed. */
    public static final ProblemType CONTEST_STILL_OPEN = new ProblemType("contest-still-open", 409, "Contest has not closed yet");
    /** A contest is drawn once; replacements come from redraws. */
    public static final ProblemType ALREADY_DRAWN = new ProblemType("already-drawn", 409, "Winners already drawn");
    /** Disqualifying or redrawing before the draw. */
    public static final ProblemType NOT_DRAWN = new ProblemType("not-drawn", 409, "Winners not drawn yet");
    /** The entry was disqualified already. */
    public static final ProblemType ALREADY_DISQUALIFIED = new ProblemType("already-disqualified", 409, "Already disqualified");
    /** A redraw with no disqualified winner waiting for a replacement, or no entry left to draw from. */
    public static final ProblemType NOTHING_TO_REDRAW = new ProblemType("nothing-to-redraw", 409, "Nothing to redraw");

    private EngagementProblems() {
    }
}
