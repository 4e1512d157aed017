"""Closed vocabularies of the KB, as enums. Values are the spellings used in data/."""

from __future__ import annotations

import enum
from enum import IntEnum


class StrEnum(enum.StrEnum):
    """A string enum whose members compare equal to their data spelling."""

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]


class Certainty(IntEnum):
    """GRADE certainty levels, ordered so that a larger value is stronger.

    This enum is the one home of the certainty scale: its spellings (`label` in data, `slug` in
    URLs and the CLI), the ranges built from it, their display order and their colours.
    """

    VERY_LOW = 1
    LOW = 2
    MODERATE = 3
    HIGH = 4

    @property
    def label(self) -> str:
        """The data spelling: 'very low'."""
        return self.name.lower().replace("_", " ")

    @property
    def slug(self) -> str:
        """The URL and CLI spelling: 'very-low'."""
        return self.label.replace(" ", "-")

    @classmethod
    def parse(cls, text: str) -> Certainty:
        return cls[text.strip().upper().replace(" ", "_").replace("-", "_")]

    @classmethod
    def slugs(cls) -> tuple[str, ...]:
        """Every level's slug, weakest first (CLI choices, URL values)."""
        return tuple(level.slug for level in cls)

    @classmethod
    def ranges(cls) -> dict[str, tuple[int, int]]:
        """Every GRADE label with its (lower, upper) bound: the four levels, then each range
        'lower to upper' in data order (weakest lower bound first)."""
        levels = list(cls)
        bounds = {level.label: (int(level), int(level)) for level in levels}
        bounds.update({f"{lo.label} to {hi.label}": (int(lo), int(hi))
                       for i, lo in enumerate(levels) for hi in levels[i + 1:]})
        return bounds

    @classmethod
    def display_order(cls) -> list[str]:
        """Every GRADE label from strongest to weakest, ranges between their ends: by the
        middle of the range, then by the upper bound."""
        bounds = cls.ranges()
        return sorted(bounds, key=lambda label: (-sum(bounds[label]), -bounds[label][1]))

    @classmethod
    def colour(cls, label: str) -> str:
        """The one palette (app, figures, deck): sequential from high (dark) to very low
        (light); a range takes the colour between its ends; anything else is grey."""
        bounds = cls.ranges().get(label)
        if bounds is None:
            return NO_LEVEL_COLOUR
        return _mix(LEVEL_COLOURS[bounds[0]], LEVEL_COLOURS[bounds[1]])

    @classmethod
    def badge_colour(cls, label: str) -> str:
        """The Streamlit badge colour of a label: its lower bound's, grey when not a level."""
        bounds = cls.ranges().get(label)
        return NO_LEVEL_BADGE if bounds is None else BADGE_COLOURS[bounds[0]]


# Ordinal, colour-blind-safe (ColorBrewer YlGnBu, dark end), keyed by Certainty value.
LEVEL_COLOURS = {1: "#c7e9b4", 2: "#41b6c4", 3: "#225ea8", 4: "#081d58"}
NO_LEVEL_COLOUR = "#bdbdbd"
# The same scale in the few named colours a Streamlit badge accepts, by the lower bound.
BADGE_COLOURS = {1: "yellow", 2: "green", 3: "blue", 4: "blue"}
NO_LEVEL_BADGE = "gray"


def _mix(a: str, b: str) -> str:
    """The colour halfway between two #rrggbb colours."""
    channels = [(int(a[i:i + 2], 16) + int(b[i:i + 2], 16)) // 2 for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on a #rrggbb background."""
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


class Ungraded(StrEnum):
    """Evidence categories that sit outside the GRADE order."""

    NOT_GRADED = "not graded"
    UNKNOWN = "unknown"
    EXPERT_OPINION = "expert opinion"
    UNREFERENCED = "unreferenced"
    ARTICLE_LEVEL = "article-level"


class EvidenceStatus(StrEnum):
    """Where a condition stands: graded, evidence whose level is not stated, reviews that rated
    nothing, or a use an article lists with no finding in the KB."""

    GRADED = "graded"
    LEVEL_NOT_STATED = "evidence exists, level not stated"
    NOT_GRADED = "not graded"
    POSSIBLE_USE = "listed as a possible use only"


# The explorer's groups of conditions without graded evidence: heading -> statuses in it.
UNGRADED_GROUPS: dict[str, tuple[str, ...]] = {
    "Evidence exists, but its certainty is not stated": (EvidenceStatus.LEVEL_NOT_STATED,
                                                         EvidenceStatus.NOT_GRADED),
    "Listed as a possible use only": (EvidenceStatus.POSSIBLE_USE,)}


DISCLAIMER = "Evidence information, not medical advice."  # on every page, deck and report
NONE_SUPPORTING = "none supporting"  # an evidence-map cell where no finding favours DN
CERTAINTY_VALUES: tuple[str, ...] = (*Certainty.ranges(), Ungraded.NOT_GRADED.value,
                                     Ungraded.UNKNOWN.value)

CERTAINTY_MEANING: dict[str, str] = {
    "high": "High certainty (GRADE): we are very confident that the true effect lies close to "
    "the estimate.",
    "moderate": "Moderate certainty (GRADE): the true effect is likely close to the estimate, "
    "but it may be substantially different.",
    "low": "Low certainty (GRADE): our confidence is limited; the true effect may be "
    "substantially different from the estimate.",
    "very low": "Very low certainty (GRADE): we have very little confidence; the true effect is "
    "likely to be substantially different from the estimate.",
    "not graded": "The review or survey did not rate certainty with GRADE.",
    "unknown": "The certainty level is not known to us: the review does not state it in what "
    "was checked, or used GRADE without the level for this outcome being recorded here.",
    "expert opinion": "Only web pages, narrative reviews, books or commentaries stand behind it.",
    "unreferenced": "The article cites nothing for it.",
    "article-level": "Only references listed for the article as a whole stand behind it; none "
    "was checked for this statement.",
}

# What a claim cites, in a rationale's words, where its certainty is a category, not a level.
CITED_PHRASE: dict[str, str] = {
    "article-level": "only the article's general reference list",
    "expert opinion": "expert opinion only: web pages, narrative reviews or books",
    "not graded": "evidence whose certainty nobody rated",
    "unknown": "evidence of unknown certainty",
}


def certainty_meaning(label: str) -> str:
    """The hover text of a certainty label; a range explains both ends."""
    ends = label.split(" to ")
    meaning = " ".join(CERTAINTY_MEANING.get(end, "") for end in ends).strip()
    if len(ends) > 1:
        meaning = f"A range: reviews rated this from {ends[0]} to {ends[1]}. {meaning}"
    return meaning or "Not a GRADE level."


class TimeWindow(StrEnum):
    IMMEDIATE = "immediate"
    SHORT_TERM = "short-term"
    LONG_TERM = "long-term"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not-applicable"


TIME_WINDOW_MEANING: dict[str, str] = {
    "immediate": "Immediate: right after treatment, up to about 72 hours.",
    "short-term": "Short term: up to 12 weeks after treatment.",
    "long-term": "Long term: more than 12 weeks after treatment.",
    "unknown": "The time point is not stated or not known to us.",
    "not-applicable": "Not a benefit over time (for example an adverse-event rate).",
}

BENEFIT_WINDOWS = (TimeWindow.IMMEDIATE, TimeWindow.SHORT_TERM, TimeWindow.LONG_TERM)


class Topic(StrEnum):
    DEFINITION = "definition"
    MECHANISM = "mechanism"
    INDICATION = "indication"
    EFFICACY = "efficacy"
    SAFETY = "safety"
    CONTRAINDICATION = "contraindication"
    PROCEDURE = "procedure"
    AFTERCARE = "aftercare"
    PRACTITIONER = "practitioner"
    COST = "cost"


# Topics that promise no benefit over time: their claims get no benefit time window.
NON_BENEFIT_TOPICS = frozenset({Topic.DEFINITION, Topic.SAFETY, Topic.CONTRAINDICATION,
                                Topic.PROCEDURE, Topic.AFTERCARE, Topic.PRACTITIONER,
                                Topic.COST})


class Comparator(StrEnum):
    SHAM_OR_NONE = "sham-or-none"
    OTHER_TREATMENT = "other-treatment"
    UNSPECIFIED = "unspecified"
    NOT_APPLICABLE = "not-applicable"
    SHAM_OR_ACTIVE = "sham-or-active"  # sham and active comparators pooled in one estimate
    ADD_ON = "add-on"  # DN added to another therapy vs that therapy alone (or DN+other vs DN)
    WET_NEEDLING = "wet-needling"  # injection (wet needling), an active comparator


ACTIVE_COMPARATORS = frozenset({Comparator.OTHER_TREATMENT, Comparator.WET_NEEDLING})


class Outcome(StrEnum):
    PAIN = "pain"
    FUNCTION = "function"
    PPT = "ppt"
    ADVERSE_EVENTS = "adverse-events"
    ROM = "rom"
    SPASTICITY = "spasticity"
    GRIP_STRENGTH = "grip-strength"
    MOTOR_FUNCTION = "motor-function"
    QUALITY_OF_LIFE = "quality-of-life"
    OTHER = "other"


class Direction(StrEnum):
    FAVOURS_DN = "favours-dn"
    NO_DIFFERENCE = "no-difference"
    FAVOURS_COMPARATOR = "favours-comparator"
    UNCLEAR = "unclear"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not-applicable"


class BodyRegion(StrEnum):
    HEAD_AND_JAW = "head-and-jaw"
    NECK = "neck"
    SHOULDER = "shoulder"
    UPPER_LIMB = "upper-limb"
    BACK = "back"
    PELVIS = "pelvis"
    LOWER_LIMB = "lower-limb"
    WHOLE_BODY = "whole-body"


class EvidenceType(StrEnum):
    SYSTEMATIC_REVIEW = "systematic-review"
    UMBRELLA_REVIEW = "umbrella-review"
    SURVEY = "survey"
    NARRATIVE_REVIEW = "narrative-review"
    COMMENTARY = "commentary"
    BOOK = "book"
    PATIENT_PAGE = "patient-page"
    WEB_PAGE = "web-page"
    GOVERNMENT_PAGE = "government-page"
    PROFESSIONAL_PAPER = "professional-paper"
    PRACTITIONER_SURVEY = "practitioner-survey"
    PRIMARY_STUDY = "primary-study"
    SCOPING_REVIEW = "scoping-review"
    CASE_REPORT = "case-report"
    CONFERENCE_ABSTRACT = "conference-abstract"
    AGENCY_REPORT = "agency-report"
    CLINIC_PAGE = "clinic-page"
    RCT = "rct"
    OBSERVATIONAL_STUDY = "observational-study"


# Evidence (not opinion): a claim that cites only these and has no finding is `not graded`,
# never `expert opinion`. Single trials and observational studies are empirical evidence.
PRIMARY_EVIDENCE = frozenset(
    {EvidenceType.SYSTEMATIC_REVIEW, EvidenceType.UMBRELLA_REVIEW, EvidenceType.SURVEY,
     EvidenceType.RCT, EvidenceType.SCOPING_REVIEW, EvidenceType.OBSERVATIONAL_STUDY}
)


class Verification(StrEnum):
    """How a reference's metadata was checked (the tags of shared/references.md, version 2).

    `read` is version 1's tag, kept valid: it marks what references.md version 2 shows as
    "[read-abstract] (version 1)", carried over and not re-read.
    """

    READ = "read"
    SEED = "seed"
    INFERRED = "inferred"
    READ_ABSTRACT = "read-abstract"
    READ_FULLTEXT = "read-fulltext"
    READ_SECONDARY = "read-secondary"


# Checked in the publication itself (a third party's summary, read-secondary, is not).
CHECKED_IN_PUBLICATION = frozenset(
    {Verification.READ, Verification.READ_ABSTRACT, Verification.READ_FULLTEXT}
)


class EvidenceTag(StrEnum):
    """How a fact was checked: the row tags of ../shared/references.md version 2."""

    READ_ABSTRACT = "read-abstract"
    READ_FULLTEXT = "read-fulltext"
    READ_SECONDARY = "read-secondary"
    SEED = "seed"
    INFERRED = "inferred"
    UNKNOWN = "unknown"


class CertaintyBasis(StrEnum):
    """Where a finding's certainty comes from. Only `grade` is a GRADE rating by the authors."""

    GRADE = "grade"
    AUTHORS_WORDING = "authors-wording"
    GRADE_UNCLEAR = "grade-unclear"
    OTHER_TOOL = "other-tool"
    NOT_STATED = "not-stated"
    UNKNOWN = "unknown"


CERTAINTY_BASIS_LABEL: dict[str, str] = {
    "grade": "GRADE", "authors-wording": "authors' wording, not GRADE",
    "grade-unclear": "GRADE use not shown", "other-tool": "another tool, not GRADE",
    "not-stated": "not stated", "unknown": "method not known"}
CERTAINTY_BASIS_MEANING: dict[str, str] = {
    "grade": "GRADE, applied by the review's authors.",
    "authors-wording": "The authors' own words; GRADE is not mentioned in what was read.",
    "grade-unclear": "GRADE-like words (high, moderate, low, very low); GRADE use is not shown "
    "in what was read.",
    "other-tool": "Another tool, named in certainty_tool (AMSTAR-2, MacDermid, RoB 2, "
    "'level B', levels of evidence), often of study quality or bias, not of certainty.",
    "not-stated": "The review states no certainty in what was read.",
    "unknown": "The review used a level-of-evidence method that could not be read.",
}


# Starts the statement of a claim drafted by `kb draft-source`: the article's own sentence, which
# the curator rewrites in own words (and removes the mark); `kb validate` reports it until then.
DRAFT_MARK = "DRAFT (rewrite in own words): "


class CitationScope(StrEnum):
    INLINE = "inline"
    ARTICLE = "article"
    NONE = "none"


class WordingStrength(StrEnum):
    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"
    NONE = "none"


# Wording strength on the certainty scale (GRADE guideline 26), and the phrase each level allows.
WORDING_LEVEL: dict[str, int] = {"high": 4, "moderate": 3, "low": 2, "very-low": 1, "none": 0}
WORDING_PHRASE: dict[int, str] = {4: "'is effective'", 3: "'probably'", 2: "'may'",
                                  1: "'very uncertain'", 0: "no effect"}


class FindingRelation(StrEnum):
    """Claim-to-finding relations (kb.graph.CITO gives each its CiTO term)."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"


class ReferenceRelation(StrEnum):
    RESTATES = "restates"
    CITES = "cites"


class EffectMeasure(StrEnum):
    SMD = "SMD"
    MD = "MD"
    PERCENT = "percent"
    UNKNOWN = "unknown"
    DPPC2 = "dppc2"  # Morris's pretest-posttest-control effect size
    D = "d"  # a standardised difference reported as "d"


# An effect measure in words, and whether it is standardised (so its size can be put in words by
# the usual rule of thumb: 0.2 small, 0.5 moderate, 0.8 large; Cochrane Handbook 15.5.3.1).
EFFECT_MEASURE_LABEL: dict[str, str] = {
    "SMD": "standardised mean difference", "MD": "mean difference (in the review's units)",
    "dppc2": "pretest-posttest-control effect size (Morris dppc2)",
    "d": "standardised difference (d)", "percent": "percentage", "unknown": "not known to us"}
STANDARDISED_MEASURES = frozenset({"SMD", "dppc2", "d"})
EFFECT_SIZE_WORDS: tuple[tuple[float, str], ...] = (  # lower bound of |effect|, its word
    (0.8, "large"), (0.5, "moderate"), (0.2, "small"), (0.0, "very small"))


class Unit(StrEnum):
    SECONDS = "seconds"
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"
    MM = "mm"
    PERCENT = "percent"
    SESSIONS = "sessions"
    SESSIONS_PER_WEEK = "sessions per week"
    YEARS = "years"


class SupportStatus(StrEnum):
    CONSISTENT = "consistent"
    OVERSTATED = "overstated"
    UNDERSTATED = "understated or misquoted"
    COMPARABLE = "comparable to active treatment"
    UNSUPPORTED = "unsupported"
    CONTRADICTED = "contradicted"
    NOT_ASSESSABLE = "not assessable"


# --- Display labels: the one home of every vocabulary value's words --------------------------

TIME_WINDOW_LABEL: dict[str, str] = {
    "immediate": "immediate", "short-term": "short term", "long-term": "long term",
    "unknown": "time not stated", "not-applicable": "not applicable"}
WINDOW_PHRASE: dict[str, str] = {
    "immediate": "immediately after treatment",
    "short-term": "in the short term (up to 12 weeks)",
    "long-term": "in the long term (more than 12 weeks)"}
OUTCOME_LABEL: dict[str, str] = {
    "pain": "pain", "function": "function or disability", "ppt": "pressure pain threshold",
    "adverse-events": "adverse events", "rom": "range of motion", "spasticity": "spasticity",
    "grip-strength": "grip strength", "motor-function": "motor function",
    "quality-of-life": "quality of life", "other": "other outcomes"}
OUTCOME_VERB: dict[str, tuple[str, str]] = {
    "pain": ("reduces pain", "reduce pain"),
    "function": ("improves function or disability", "improve function or disability"),
    "ppt": ("raises the pressure pain threshold", "raise the pressure pain threshold")}
COMPARATOR_LABEL: dict[str, str] = {
    "sham-or-none": "sham or no treatment", "other-treatment": "other treatments",
    "unspecified": "unspecified comparators", "not-applicable": "not applicable",
    "sham-or-active": "sham and active treatments pooled",
    "add-on": "an add-on comparison (with vs without another therapy)",
    "wet-needling": "wet needling (injection)"}
DIRECTION_LABEL: dict[str, str] = {
    "favours-dn": "favours dry needling", "no-difference": "no difference",
    "favours-comparator": "favours the comparator", "unclear": "unclear",
    "unknown": "direction not known to us", "not-applicable": "not applicable"}
# Filter choices: the outcomes and comparators a clinician can filter on.
OUTCOME_CHOICES: tuple[str, ...] = (Outcome.PAIN.value, Outcome.FUNCTION.value, Outcome.PPT.value)
COMPARATOR_CHOICES: tuple[str, ...] = (Comparator.SHAM_OR_NONE.value,
                                       Comparator.OTHER_TREATMENT.value)


class SafetyDesign(StrEnum):
    """Design of the publication a safety figure comes from (data/safety_figures.csv)."""

    PROSPECTIVE = "prospective"
    SURVEY = "survey"
    SCOPING_REVIEW = "scoping-review"
    COMMENTARY = "commentary"
    TRIAL_TABLE = "trial-table"
    CASE_REPORT = "case-report"


class Severity(StrEnum):
    """Severity class of an adverse event, in the source's own terms (mapped as documented)."""

    MINOR = "minor"
    MAJOR = "major"
    SERIOUS = "serious"
    ANY = "any"
    UNCLASSIFIED = "unclassified"


class DenominatorUnit(StrEnum):
    """What a safety figure's denominator (or percentage base) counts."""

    TREATMENTS = "treatments"
    RESPONDENTS = "respondents"
    PATIENTS = "patients"
    STUDIES = "studies"
    CASES = "cases"
    UNKNOWN = "unknown"


class FigureBound(StrEnum):
    """How a safety figure's percentage is bounded, as printed."""

    POINT = "point"
    LESS_THAN = "less-than"
    AT_MOST = "at-most"
    UP_TO = "up-to"
    RANGE = "range"
    APPROXIMATE = "approximate"


class ContraindicationLevel(StrEnum):
    """One source's classification of one contraindication item; never merged across sources."""

    ABSOLUTE = "absolute"
    RELATIVE = "relative"
    AVOID_OR_CAUTION = "avoid-or-caution"
    CASE_BY_CASE = "case-by-case"
    NOT_SUITABLE = "not-suitable"
    CONSULT_PHYSICIAN = "consult-physician"
    NOT_LISTED = "not-listed"


# How strongly a classification keeps a patient from dry needling: 2 never (absolute, not
# suitable), 1 with care (relative, consult a physician, case by case). 0 ("avoid or use
# caution") is unclassified and conflicts with neither; not-listed has no strength.
CONTRAINDICATION_STRENGTH: dict[str, int] = {
    "absolute": 2, "not-suitable": 2, "relative": 1, "consult-physician": 1, "case-by-case": 1,
    "avoid-or-caution": 0}
CONTRAINDICATION_ATTRIBUTE = "contraindication level"  # assertions.csv attribute

# Safety vocabularies in words (the Safety page, the card, the deck).
SEVERITY_LABEL: dict[str, str] = {
    "minor": "minor", "major": "major", "serious": "serious", "any": "any adverse event",
    "unclassified": "severity not classified"}
SAFETY_DESIGN_LABEL: dict[str, str] = {
    "prospective": "prospective study", "survey": "practitioner survey",
    "scoping-review": "scoping review", "commentary": "commentary",
    "trial-table": "review's table of trials", "case-report": "case report"}
DENOMINATOR_UNIT_LABEL: dict[str, str] = {
    "treatments": "treatments", "respondents": "practitioners surveyed", "patients": "patients",
    "studies": "studies", "cases": "cases", "unknown": "base not printed"}
CONTRAINDICATION_LABEL: dict[str, str] = {
    "absolute": "absolute", "relative": "relative", "avoid-or-caution": "avoid or use caution",
    "case-by-case": "case by case", "not-suitable": "not suitable",
    "consult-physician": "consult a physician first", "not-listed": "not listed"}
# Support statuses as a reader sees them: a label, a colour (#rrggbb, colour-blind-safe
# Okabe-Ito hues: red for what the evidence speaks against, orange for wording beyond it, grey
# for nothing to assess) and the Streamlit badge colour of the same hue.
STATUS_LABEL: dict[str, str] = {
    "consistent": "Consistent with the evidence", "overstated": "Overstated",
    "understated or misquoted": "Understated or misquoted",
    "comparable to active treatment": "Comparable to active treatment",
    "unsupported": "Unsupported", "contradicted": "Contradicted",
    "not assessable": "Not assessable"}
STATUS_COLOUR: dict[str, str] = {
    "consistent": "#009e73", "overstated": "#e69f00", "understated or misquoted": "#56b4e9",
    "comparable to active treatment": "#0072b2", "unsupported": "#cc79a7",
    "contradicted": "#d55e00", "not assessable": "#bdbdbd"}
STATUS_BADGE: dict[str, str] = {
    "consistent": "green", "overstated": "orange", "understated or misquoted": "blue",
    "comparable to active treatment": "blue", "unsupported": "violet", "contradicted": "red",
    "not assessable": "gray"}
# The statuses a text check counts on top of its report: where the text says more than, or
# other than, the evidence.
FLAGGED_STATUSES: tuple[str, ...] = ("overstated", "unsupported", "contradicted")
TOPIC_LABEL: dict[str, str] = {t.value: t.value for t in Topic} | {"": "unclassified"}
WORDING_LABEL: dict[str, str] = {
    "high": "high ('is effective')", "moderate": "moderate ('probably')",
    "low": "low ('may')", "very-low": "very low ('very uncertain')", "none": "no strength claim"}
BODY_REGION_LABEL: dict[str, str] = {
    "head-and-jaw": "head and jaw", "neck": "neck", "shoulder": "shoulder",
    "upper-limb": "arm and hand", "back": "back", "pelvis": "pelvis", "lower-limb": "leg and foot",
    "whole-body": "whole body or several regions"}
# Certainty labels that are not already words a reader knows (GRADE levels are).
CERTAINTY_LABEL: dict[str, str] = {"article-level": "article's reference list only",
                                   "unknown": "level not known to us"}
EVIDENCE_TYPE_LABEL: dict[str, str] = {
    "systematic-review": "systematic review", "umbrella-review": "umbrella review",
    "survey": "survey", "narrative-review": "narrative review", "commentary": "commentary",
    "book": "book", "patient-page": "page for patients", "web-page": "web page",
    "government-page": "government page", "professional-paper": "professional body's paper",
    "practitioner-survey": "survey of practitioners", "primary-study": "primary study",
    "scoping-review": "scoping review", "case-report": "case report",
    "conference-abstract": "conference abstract", "agency-report": "agency report",
    "clinic-page": "clinic's web page", "rct": "randomised controlled trial",
    "observational-study": "observational study"}
# Citation-graph node kinds (kb.graph.KINDS) in words, and their colours (Okabe-Ito hues,
# distinct from the certainty palette): the graph's legend and markers read these.
NODE_KIND_LABEL: dict[str, str] = {
    "article": "Article", "claim": "Claim of an article", "reference": "Reference",
    "finding": "Finding of a review", "condition": "Condition"}
NODE_KIND_COLOUR: dict[str, str] = {
    "article": "#cc79a7", "claim": "#56b4e9", "reference": "#009e73", "finding": "#e69f00",
    "condition": "#d55e00"}
FOCUS_COLOUR = "#000000"  # the outline of the graph's focus node
