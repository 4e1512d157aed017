"""Detectors for a sentence of free text: the conditions it names, its topic, how strongly it
is worded, the numbers it gives, and what the evidence rules need to know of it (outcome,
comparator, time window, contraindication items and classes, adverse events).

Rules, not a model: every pattern is here, in words a curator can read. Condition and
contraindication names come from the taxonomy in data/ (labels and synonyms); case, plural
and hyphen variants are matched, and a short all-capitals synonym ("OA", "TMD", "MS") only in
capitals. Vocabulary values are kb.vocab's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from kb import vocab
from kb.status import INTENSIFIER

W = vocab.WordingStrength
T = vocab.Topic

@cache
def rx(pattern: str) -> re.Pattern[str]:
    """A cue pattern compiled once, case-insensitive (re's own cache is too small for these
    and pysbd's together)."""
    return re.compile(pattern, re.I)


# --- Names from the taxonomy -----------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """One compiled alternation of names, longest first, and the id of each alternative."""

    pattern: re.Pattern[str]
    ids: tuple[str, ...]
    firsts: frozenset[str]  # every name's first word, case-folded: a text naming none is skipped


@dataclass(frozen=True)
class Lexicon:
    """Name patterns of the condition taxonomy and of the contraindication items."""

    conditions: Names
    items: Names


WORD = re.compile(r"\w+")


def _variant(term: str) -> str:
    """A name with its case, plural and hyphen/space variants ('trigger points', 'low-back
    pain'); an all-capitals name of up to four letters matches only in capitals."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", term.strip()) if w]
    body = r"[\s-]+".join(words) + r"(?:s|es)?"
    return body if (term.isupper() and len(term) <= 4) else "(?i:" + body + ")"


def _names(frame: pd.DataFrame, id_col: str, label_col: str) -> Names:
    terms: dict[str, str] = {}
    for ident, label, synonyms in frame[[id_col, label_col, "synonyms"]].itertuples(index=False):
        for term in [label, *str(synonyms).split(";")]:
            term = re.sub(r"\s*\([^)]*\)", "", term).strip()  # "(fear, belief)" is a gloss
            if len(term) >= 2:
                terms.setdefault(term, ident)
    ordered = sorted(terms, key=len, reverse=True)
    groups = "|".join(f"(?P<n{i}>{_variant(term)})" for i, term in enumerate(ordered))
    firsts = frozenset(WORD.findall(term.casefold())[0] for term in ordered
                       if WORD.search(term))
    return Names(re.compile(r"(?<![\w-])(?:" + (groups or "(?!)") + r")(?![\w-])"),
                 tuple(terms[term] for term in ordered), firsts)


def build_lexicon(conditions: pd.DataFrame, items: pd.DataFrame) -> Lexicon:
    """Patterns for every condition and contraindication item, from their labels and synonyms."""
    return Lexicon(_names(conditions, "condition_id", "label"),
                   _names(items, "item_id", "label"))


def _find(text: str, names: Names) -> list[str]:
    """Ids named in a text, in order; at each place the longest name wins, so 'back pain'
    inside 'low back pain' does not count again. The alternation (about 2 ms a sentence) runs
    only on a text holding some name's first word."""
    words = set(WORD.findall(text.casefold()))
    words |= {w[:-1] for w in words if w.endswith("s")} | {w[:-2] for w in words
                                                           if w.endswith("es")}
    if names.firsts.isdisjoint(words):
        return []
    found = [names.ids[int(m.lastgroup[1:])] for m in names.pattern.finditer(text)]
    return list(dict.fromkeys(found))


def find_conditions(text: str, lexicon: Lexicon) -> list[str]:
    """Condition ids a sentence names."""
    return _find(text, lexicon.conditions)


# Contraindication items a patient page names in other words than the checked sources.
ITEM_WORDS: dict[str, str] = {
    "pregnancy": r"\bpregnan\w*", "bleeding-anticoagulants": r"\b(?:blood[- ]thinn\w*|"
    r"anticoagula\w*|bleeding disorders?|warfarin)\b",
    "compromised-immunity": r"\b(?:immun\w* (?:system )?(?:is )?(?:weak|compromis|suppress)\w*|"
    r"(?:weak|compromis|low)\w* immun\w*)", "children": r"\b(?:children|kids)\b",
    "needle-phobia": r"\b(?:fear of needles|afraid of needles|needle phobia|trypanophobia)\b",
    "recent-surgery": r"\brecent(?:ly)? (?:had )?surger\w*|\bsurgery recently\b",
    "local-infection": r"(?<!risk of )\binfect\w*", "diabetes": r"\bdiabet\w*",
    "lymphoedema": r"\blymph(?:o)?edema\b", "vascular-disease": r"\bvascular disease",
    "epilepsy": r"\bepilep\w*", "medical-emergency": r"\b(?:medical emergency|acute medical "
    r"condition)", "malignancy": r"\b(?:cancer|malignan\w*|tumou?r)",
    "pacemaker-implant": r"\bpacemaker", "allergy": r"\ballerg\w*",
    "unable-to-consent": r"\b(?:unable to (?:give )?consent|cannot (?:or will not )?(?:give )?"
    r"consent)\b",
    "unable-to-understand": r"\b(?:unable to understand|cannot understand|"
    r"(?:can ?not|unable to) (?:grasp|understand) the purpose)\b",
}
_ITEM_RE = {item: re.compile(p, re.I) for item, p in ITEM_WORDS.items()}


def find_items(text: str, lexicon: Lexicon) -> list[str]:
    """Contraindication items a sentence names (taxonomy names, then common wordings)."""
    found = _find(text, lexicon.items)
    found += [item for item, p in _ITEM_RE.items() if item not in found and p.search(text)]
    return found


# --- Topic ------------------------------------------------------------------------------------

def _any(*words: str) -> str:
    return r"\b(?:" + "|".join(words) + r")"


def _words(*words: str) -> str:
    """Whole words or phrases only ('treats' but not 'treatments')."""
    return _any(*words) + r"\b"


CONTRA_CUE = _any("should not", "shouldn't", "must not", "not suitable", "not recommended",
                  "contraindicat", "not be (?:used|performed|done)", "avoid (?:dry )?needling",
                  r"avoid and/or", "cautious",
                  r"(?:talk|speak|consult|check) (?:to |with )?(?:your |their |a )?"
                  r"(?:primary care )?(?:doctor|physician|GP|provider)", "not (?:be )?appropriate",
                  r"(?:physician|doctor|GP) should be consulted",
                  r"(?:physician|doctor)'?s? assessment",
                  "not (?:a )?(?:good )?candidate", "caution", "unsuitable")
SAFETY_CUE = _any("side[- ]effects?", "adverse", r"risks?(?![- ]of[- ]bias)", "safe(?:ty|ly)?",
                  "bruis", "bleed",
                  "soreness", "sore", "pneumothorax", "punctured? lung", "faint", "complication",
                  "injur", "harm", "dangerous", "infection", "nerve damage", "drowsi", "fatigue",
                  "invasive", "organ damage", "not a substitute",
                  r"(?:inform|tell) (?:your|the) (?:provider|therapist|practitioner|clinician)")
# "after your session" alone is a time, not advice ("relief almost immediately after a session")
AFTERCARE_CUE = _any(r"after (?:your |the |a |each )?(?:session|treatment|appointment),? "
                     r"(?:you should|drink|rest|apply|avoid|stretch|try)",
                     "avoid (?:strenuous|heavy|intense|vigorous)", "drink (?:plenty of )?water",
                     "hydrat", "apply (?:heat|ice)", "heat pack",
                     "ice pack", "rest afterwards", "aftercare", "post-treatment", "stretch")
COST_CUE = _words("costs?", "price", "insurance", "covered by", "pay", "fees?", "expensive",
                  "afford(?:able)?") + r"|\$\d"
PRACTITIONER_CUE = _any("physical therapists?", "physiotherapists?", "chiropractors?",
                        "practitioners?", "clinicians?", "trained", "licensed", "certified",
                        "certification", "qualified", "credential", "doctors?")
EFFICACY_CUE = _any("effective", "evidence", "research", "studies", "study", "trials?",
                    "reviews?", "proven", "works?", "results?", "benefits?", "improve", "reduc",
                    "reliev", "relief", "eas(?:e|es|ing)", "better than", "superior", "outcomes?",
                    "lessen", "alleviat", "decreas", "help(?:s|ed)? (?:with|to|reduce|relieve)?",
                    "cure", "heal", r"adds? (?:more )?(?:meaningful )?value")
MECHANISM_CUE = _any("blood flow", "twitch", "nervous system", "inflammat", "mechanism",
                     "stimulat", "chemical", "endorphin", "release", "circulation", "oxygen",
                     "biochemical", "neurophysiolog", "taut band", "reset")
INDICATION_CUE = _any("used (?:to treat|for|to address|to ease)", "treat(?:s|ed|ing|ment of)?",
                      "conditions?", "appropriate for", "suitable for", "can help", "addresses")
PROCEDURE_CUE = _any("needles? (?:is |are )?(?:inserted|placed|left|put)", "insert", "filiform",
                     "thin needles?", "sessions?", "minutes", "depth", "gloves", "sterile",
                     "the (?:therapist|practitioner|clinician) will", "wear", "lie down",
                     "appointment")
DEFINITION_CUE = _any("dry needling is (?:a|an|the)", "what is", "acupuncture", "defined",
                      "refers to", "known as", "technique", "procedure")
# a benefit weighed against risks claims a benefit ("the benefits far outweigh the risks")
BENEFIT_RISK_CUE = r"\b(?:benefits?|gains?)\b.{0,60}\boutweighs?\b"
TOPIC_RULES: tuple[tuple[str, str], ...] = (
    (T.COST.value, COST_CUE), (T.EFFICACY.value, BENEFIT_RISK_CUE),
    (T.CONTRAINDICATION.value, CONTRA_CUE),
    (T.SAFETY.value, SAFETY_CUE), (T.AFTERCARE.value, AFTERCARE_CUE),
    (T.EFFICACY.value, EFFICACY_CUE), (T.MECHANISM.value, MECHANISM_CUE),
    (T.INDICATION.value, INDICATION_CUE), (T.PRACTITIONER.value, PRACTITIONER_CUE),
    (T.PROCEDURE.value, PROCEDURE_CUE), (T.DEFINITION.value, DEFINITION_CUE),
)
UNCLASSIFIED = ""  # a sentence no topic rule matched


def topics(sentences: list[str], has_condition: list[bool], has_item: list[bool]) -> list[str]:
    """The topic of each sentence (the first rule that matches, in TOPIC_RULES order), or
    UNCLASSIFIED. A contraindication cue with no one it applies to (no item, no "people
    with") is a safety statement when it speaks of risks or side effects ("use caution: it
    can bruise"), else a general contraindication statement ("it is not appropriate for
    everyone"); a condition named with no other cue makes an indication."""
    out = []
    for text, condition, item in zip(sentences, has_condition, has_item, strict=True):
        topic = next((t for t, cue in _TOPIC_RE if cue.search(text)), UNCLASSIFIED)
        if topic == T.CONTRAINDICATION and not item and not _WHO.search(text) and \
                _SAFETY_RE.search(text):
            topic = T.SAFETY.value
        if topic == UNCLASSIFIED and condition:
            topic = T.INDICATION.value
        out.append(topic)
    return out


_TOPIC_RE = tuple((topic, re.compile(cue, re.I)) for topic, cue in TOPIC_RULES)
_SAFETY_RE = re.compile(SAFETY_CUE, re.I)
_WHO = re.compile(_any("pregnan", "children", "people (?:with|who)", "patients? (?:with|who)",
                       "if you", "anyone (?:with|who)", "those (?:with|who)"), re.I)


# --- Wording strength (GRADE guideline 26) ----------------------------------------------------

VERY_LOW_CUE = _words("very uncertain", "insufficient evidence", "not enough evidence",
                    "unclear (?:whether|if)", "uncertain", "too few studies", "inconclusive",
                    "limited evidence", "little evidence", "no (?:good|strong) evidence",
                    "modest (?:support|evidence)", r"evidence\b.{0,40}\b(?:is|remains) limited")
LOW_CUE = _words("may", "might", "can", "could", "appears?", "seems?", "suggests?",
                 "possibly", "some (?:people|patients|studies|evidence)", "potential(?:ly)?",
                 "low[- ]quality", "low[- ]level", "limited")
MODERATE_CUE = _words("probably", "likely", "tends? to", "generally", "often", "usually",
                      "moderate[- ](?:quality|certainty) evidence")
HIGH_CUE = _words("(?:is|are) (?:an? )?(?:very |highly |extremely )?effective", "works?",
                  "(?:has|have) been shown", "(?:greater|more) improvement", "relieves?",
                  "reduces?", "improves?", "helps?",
                  "treats?", "eliminates?", "cures?", "heals?", "proven", "best", "will",
                  "guarantee", "strong evidence", "high[- ]quality evidence", "well[- ]researched",
                  "outweighs?", "superior", "better than", "restores?", "fix(?:es)?", "resolves?",
                  "eases?", "lessens?", "alleviates?", "decreases?", "increases?", "boosts?")
INTENSIFIER_RE = re.compile(INTENSIFIER, re.I)


def wording(sentences: list[str]) -> list[str]:
    """Wording strength of each sentence: the weakest hedge it uses ("very uncertain" below
    "may" below "probably"), else 'high' when it asserts a benefit, else 'none'."""
    return [next((level for level, cue in _WORDING_RE if cue.search(text)), W.NONE.value)
            for text in sentences]


_WORDING_RE = tuple((level.value, re.compile(cue, re.I)) for level, cue in (
    (W.VERY_LOW, VERY_LOW_CUE), (W.LOW, LOW_CUE), (W.MODERATE, MODERATE_CUE),
    (W.HIGH, HIGH_CUE)))


def intensifiers(text: str) -> list[str]:
    """Intensifying words in a sentence ('very', 'proven', 'high-quality evidence')."""
    return list(dict.fromkeys(m.group().casefold() for m in INTENSIFIER_RE.finditer(text)))


# --- What the evidence rules need --------------------------------------------------------------

OUTCOME_CUES: dict[str, str] = {
    vocab.Outcome.PAIN.value: _any("pain", "painful", "ache", "aching", "tender"),
    vocab.Outcome.FUNCTION.value: _any("function", "disabilit", "mobility", "movement",
                                       "daily activit", "performance"),
    vocab.Outcome.ROM.value: _any("range of motion", "flexibility", "stiffness", "how far"),
    vocab.Outcome.PPT.value: _any("pressure pain threshold", "sensitivity to pressure"),
    vocab.Outcome.QUALITY_OF_LIFE.value: _any("quality of life", "well-being", "wellbeing"),
    vocab.Outcome.SPASTICITY.value: _any("spastic"),
}
COMPARATOR_CUES: dict[str, str] = {
    vocab.Comparator.SHAM_OR_NONE.value: _any("sham", "placebo", "no treatment", "nothing"),
    vocab.Comparator.OTHER_TREATMENT.value: _any("than (?:other|manual|physical|massage|exercise|"
                                                 "stretching|acupuncture)",
                                                 r"compared (?:to|with)(?! (?:no treatment|sham|"
                                                 r"placebo|nothing))", "alternatives?",
                                                 "other (?:treatments|procedures|therapies)",
                                                 "similar benefits", "as well as"),
    vocab.Comparator.ADD_ON.value: _any("combined with", "in combination", "alongside",
                                        "part of a (?:wider |broader )?(?:treatment )?"
                                        "(?:plan|programme|program)", "together with",
                                        "added to", "in addition to"),
}
WINDOW_CUES: dict[str, str] = {
    vocab.TimeWindow.IMMEDIATE.value: _any("immediate(?:ly)?", "right after", "straight after",
                                           "instant(?:ly)?", "same day", "within (?:72 )?hours"),
    vocab.TimeWindow.SHORT_TERM.value: _any("short[- ]term", "within weeks", "few weeks"),
    vocab.TimeWindow.LONG_TERM.value: _any("long[- ]term", "lasting", "permanent(?:ly)?",
                                           "for good", "months", "years"),
}


def cues(text: str, table: dict[str, str]) -> list[str]:
    """The keys of a cue table whose pattern the text matches."""
    return [key for key, cue in table.items() if rx(cue).search(text)]


# Contraindication classes in a sentence's words (most specific first).
CLASS_CUES: tuple[tuple[str, str], ...] = (
    (vocab.ContraindicationLevel.ABSOLUTE.value, _any("absolute(?:ly)?", "never")),
    (vocab.ContraindicationLevel.RELATIVE.value, _any("relative", "with caution",
                                                      "precaution")),
    (vocab.ContraindicationLevel.CONSULT_PHYSICIAN.value,
     r"\b(?:talk|speak|consult\w*|check)\b.{0,30}\b(?:doctor|physician|GP|provider)|"
     r"\b(?:physician|doctor|GP) should be consulted"),
    (vocab.ContraindicationLevel.NOT_SUITABLE.value, _any("should not", "shouldn't", "must not",
                                                          "not suitable", "unsuitable",
                                                          "not be (?:used|performed|done)",
                                                          "not (?:a )?(?:good )?candidate",
                                                          "not recommended",
                                                          "not (?:be )?appropriate")),
    (vocab.ContraindicationLevel.AVOID_OR_CAUTION.value, _any("avoid", "caution", "careful")),
)


EITHER = re.compile(r"\beither\b|\band/or\b", re.I)


def contraindication_class(text: str) -> str:
    """The class a sentence gives a contraindication (the most specific it names), or '' when
    it gives none. A sentence leaving the choice open between classes ("either not
    appropriate, or requires consulting a physician") commits to neither: avoid or caution."""
    named = [level for level, cue in CLASS_CUES if rx(cue).search(text)]
    if len(set(named)) > 1 and EITHER.search(text):
        return vocab.ContraindicationLevel.AVOID_OR_CAUTION.value
    return named[0] if named else ""


SERIOUS = _any("serious", "major", "severe", "dangerous", "significant", "life-threatening")
MINOR = _any("minor", "mild", "common side effects", "side effects")
NO_RISK = re.compile(r"\b(?:no (?:side effects|risks?|adverse)|(?:completely|totally|100%) "
                     r"safe|risk[- ]free|(?<!not )(?<!not entirely )(?<!not completely )"
                     r"without (?:any )?(?:side effects|risks?))", re.I)
EVENT_WORDS: dict[str, str] = {
    "soreness": _any("sore(?:ness)?", "aching", "ache"), "bruising": _any("bruis"),
    "bleeding": _any("bleed"), "pneumothorax": _any("pneumothorax", "punctured? lung"),
    "fatigue": _any("fatigue", "tired"), "drowsiness": _any("drows", "sleepy"),
    "infection": _any("infect"), "headache": _any("headache"), "nausea": _any("nause"),
    "fainting": _any("faint"), "stiffness": _any("stiff"),
    "organ damage": _any("organ damage", "punctures? a (?:major )?organ"),
    "nerve damage": _any("nerve damage", "nerve injur"), "allergic reaction": _any("allerg"),
}


# "less invasive options" compares treatments: it says nothing of dry needling itself
INVASIVE = re.compile(r"\b(?<!less )(?<!more )(?:(?P<no>non[- ]?invasive)|"
                      r"(?P<min>minimally invasive)|invasive)\b", re.I)


def invasiveness(text: str) -> str:
    """'invasive', 'minimally invasive' or 'non-invasive' when the sentence calls dry needling
    so (the values of data/assertions.csv), else ''."""
    m = INVASIVE.search(text)
    if not m:
        return ""
    return "non-invasive" if m.group("no") else "minimally invasive" if m.group("min") \
        else "invasive"


def adverse_events(text: str) -> list[str]:
    """Adverse events a sentence names, in the words of data/safety_figures.csv events."""
    return cues(text, EVENT_WORDS)


def severity(text: str) -> str:
    """'serious adverse events', 'minor adverse events' or '' (data/assertions.csv subjects)."""
    if rx(SERIOUS).search(text):
        return "serious adverse events"
    if rx(MINOR).search(text):
        return "minor adverse events"
    return ""


# --- Numbers ------------------------------------------------------------------------------------

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
                "thirty": 30, "a": 1, "an": 1, "once": 1, "twice": 2}
NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|" \
      r"fifteen|twenty|thirty)"
UNITS: dict[str, str] = {
    "seconds": r"sec(?:ond)?s?", "minutes": r"min(?:ute)?s?", "hours": r"h(?:ou)?rs?|hours?",
    "days": r"days?", "weeks": r"weeks?", "years": r"years?(?:[- ]olds?)?|yrs?",
    "sessions": r"sessions?|treatments?|visits?|appointments?", "mm": r"mm|millimet(?:er|re)s?",
}
UNIT_RE = "|".join(f"(?P<{unit}>{pattern})" for unit, pattern in UNITS.items())
BOUND = r"(?P<bound>up to|no (?:more|longer) than|at most|less than|fewer than|under|" \
        r"younger than|below|more than|at least|over|older than|about|around|<|>)?\s*"
SPAN = re.compile(BOUND + NUM + r"(?:\s*(?:-|–|to|or)\s*" + NUM + r")?\s*(?:" + UNIT_RE
                  + r")\b", re.I)
PER_WEEK = re.compile(r"\b(?P<bound>up to\s+)?(?:" + NUM + r"(?:\s*(?:-|–|to|or)\s*" + NUM
                      + r")?\s*times|(?P<word>once|twice))\s*(?:a|per|each)\s+week\b", re.I)
RATE = re.compile(BOUND + r"\b(?:(?P<n>\d+(?:,\d{3})*|one|a)\s*(?:in|per|out of)\s*"
                  r"(?P<d>\d+(?:,\d{3})*)|(?P<pct>\d+(?:\.\d+)?)\s*(?:%|percent))", re.I)
UPPER = ("up to", "no more than", "no longer than", "at most", "less than", "fewer than",
         "under", "younger than", "below", "<")
LOWER = ("more than", "at least", "over", "older than", ">")
# "the most common side effect" ranks events, it says no frequency
FREQUENCY_WORD = re.compile(r"\b(?<!most )(?:extremely rare|very rare|rare(?:ly)?|uncommon|"
                            r"very common|common)\b", re.I)


@dataclass(frozen=True)
class Number:
    """A number with its unit in (subject, attribute, value) form, as in data/assertions.csv.
    `subject` and `attribute` are empty where the sentence does not say what it measures."""

    subject: str
    attribute: str
    value: str
    value_min: str
    value_max: str
    unit: str


def _num(text: str | None) -> float | None:
    if text is None:
        return None
    text = text.casefold().replace(",", "")
    return float(NUMBER_WORDS[text]) if text in NUMBER_WORDS else float(text)


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _bounds(bound: str | None, low: float | None, high: float | None) -> tuple[str, str]:
    bound = (bound or "").casefold().strip()
    if high is not None:
        return _fmt(min(low, high)), _fmt(max(low, high))
    if bound in UPPER:
        return "", _fmt(low)
    if bound in LOWER:
        return _fmt(low), ""
    return _fmt(low), _fmt(low)


def _measured(text: str, unit: str) -> tuple[str, str]:
    """(subject, attribute) of a number by what the sentence speaks of."""
    said = text.casefold()
    if unit in ("seconds", "minutes", "hours", "days", "weeks"):
        if rx(r"\bsore").search(said):
            return "post-treatment soreness", "duration"
        if "bruis" in said:
            return "bruising", "duration"
        if rx(r"needles? (?:are |is |will be |may be )?(?:left|kept|remain|stay)").search(said):
            return "needle", "dwell time"
        if rx(r"\b(?:session|treatment|appointment)s?\b.{0,40}\b(?:last|take)").search(said) \
                or rx(r"\b(?:last|take)s?\b.{0,30}\b(?:session|treatment)").search(said):
            return "dry needling session", "duration"
    if unit == "sessions":
        return "treatment course", "number of sessions"
    if unit == "years" and rx(r"\bchild|\bkids?\b|\bunder\b|younger").search(said):
        return "children", "minimum age"
    return "", ""


def numbers(text: str) -> list[Number]:
    """Numbers with units: durations, sessions, sessions per week, ages, depths, percentages
    and '1 in N' or 'per 10,000 treatments' rates (as percentages of treatments)."""
    found: list[Number] = []
    taken: list[tuple[int, int]] = []
    for m in PER_WEEK.finditer(text):
        low = _num(m.group("word") or m.group(2))
        high = _num(m.group(3)) if m.group(3) else None
        lo, hi = _bounds(m.group("bound"), low, high)
        found.append(Number("treatment", "frequency", m.group().strip(), lo, hi,
                            vocab.Unit.SESSIONS_PER_WEEK.value))
        taken.append(m.span())
    for m in RATE.finditer(text):
        if m.group("pct"):
            low = float(m.group("pct"))
        else:
            low = _num(m.group("n")) / _num(m.group("d")) * 100
        lo, hi = _bounds(m.group("bound"), low, None)
        subject = severity(text)
        found.append(Number(subject, "frequency" if subject else "", m.group().strip(), lo, hi,
                            vocab.Unit.PERCENT.value))
        taken.append(m.span())
    for m in SPAN.finditer(text):
        if any(m.start() < end and start < m.end() for start, end in taken):
            continue
        unit = next(name for name in UNITS if m.group(name))
        low, high = _num(m.group(2)), _num(m.group(3)) if m.group(3) else None
        lo, hi = _bounds(m.group("bound"), low, high)
        subject, attribute = _measured(text, unit)
        found.append(Number(subject, attribute, m.group().strip(), lo, hi, unit))
    if not found:
        word = FREQUENCY_WORD.search(text)
        subject = severity(text)
        if word and subject and rx(SAFETY_CUE).search(text):
            found.append(Number(subject, "frequency", word.group().casefold().removesuffix("ly"),
                                "", "", ""))
    return found
