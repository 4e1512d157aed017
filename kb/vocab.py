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
    """GRADE certainty levels, ordered so that a larger value is stronger."""

    VERY_LOW = 1
    LOW = 2
    MODERATE = 3
    HIGH = 4

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")

    @classmethod
    def parse(cls, text: str) -> Certainty:
        return cls[text.strip().upper().replace(" ", "_").replace("-", "_")]


class Ungraded(StrEnum):
    """Evidence categories that sit outside the GRADE order."""

    NOT_GRADED = "not graded"
    UNKNOWN = "unknown"
    EXPERT_OPINION = "expert opinion"
    UNREFERENCED = "unreferenced"


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
}


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
    RCT = "rct"
    SCOPING_REVIEW = "scoping-review"
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
    """Where a finding was read: the row tag of references.md version 2."""

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


class FindingRelation(StrEnum):
    """Claim-to-finding relations; `cito` gives the CiTO term."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"

    @property
    def cito(self) -> str:
        return {"supports": "cito:supports", "contradicts": "cito:disagreesWith"}[self.value]


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
    UNSUPPORTED = "unsupported"
    CONTRADICTED = "contradicted"
    NOT_ASSESSABLE = "not assessable"
