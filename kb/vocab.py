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


class Outcome(StrEnum):
    PAIN = "pain"
    FUNCTION = "function"
    PPT = "ppt"
    ADVERSE_EVENTS = "adverse-events"


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


PRIMARY_EVIDENCE = frozenset(
    {EvidenceType.SYSTEMATIC_REVIEW, EvidenceType.UMBRELLA_REVIEW, EvidenceType.SURVEY}
)


class Verification(StrEnum):
    READ = "read"
    SEED = "seed"
    INFERRED = "inferred"


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


class EvidenceTag(StrEnum):
    """How a fact was checked: the tags of ../shared/references.md."""

    READ_ABSTRACT = "read-abstract"
    READ_FULLTEXT = "read-fulltext"
    READ_SECONDARY = "read-secondary"
    SEED = "seed"
    INFERRED = "inferred"


class ContraindicationLevel(StrEnum):
    """One source's classification of one contraindication item; never merged across sources."""

    ABSOLUTE = "absolute"
    RELATIVE = "relative"
    AVOID_OR_CAUTION = "avoid-or-caution"
    CASE_BY_CASE = "case-by-case"
    NOT_SUITABLE = "not-suitable"
    CONSULT_PHYSICIAN = "consult-physician"
    NOT_LISTED = "not-listed"
