"""Declarative description of every table in data/: columns, keys, vocabularies, links.

Loading, validation, the data dictionary test and the data-package export all read this one
description, so a column is declared once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb import vocab

ID_PATTERN = r"[a-z0-9][a-z0-9-]*"
DIGIT = "[0-9]"  # spelt out (not \d) so Arrow's RE2 runs it; only ASCII digits count
NUMBER = rf"[+-]?({DIGIT}+\.?{DIGIT}*|\.{DIGIT}+)([eE][+-]?{DIGIT}+)?"  # a numeric cell


@dataclass(frozen=True)
class Column:
    """One column: its name, meaning and the checks that apply to it."""

    name: str
    description: str
    required: bool = False
    vocab: tuple[str, ...] | None = None
    is_list: bool = False
    numeric: bool = False
    foreign: tuple[str, str] | None = None  # (table, column)
    pattern: str | None = None
    kind: str = "string"  # frictionless field type


@dataclass(frozen=True)
class Table:
    """One CSV file of data/."""

    name: str
    file: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _v(enum: type[vocab.StrEnum]) -> tuple[str, ...]:
    return tuple(enum.values())


SOURCES = Table(
    "sources",
    "sources.csv",
    "The four seed articles that claims come from.",
    ("source_id",),
    (
        Column("source_id", "Seed article id", True, pattern=ID_PATTERN),
        Column("title", "Article title", True),
        Column("publisher", "Publishing site", True),
        Column("author", "Author as printed, or unknown", True),
        Column("date", "ISO date or unknown", True, pattern=r"\d{4}-\d{2}-\d{2}|unknown"),
        Column("url", "Address or unknown", True),
        Column("seed_file", "File name in shared/seeds", True),
        Column("citation_style", "How the article cites", True, vocab=_v(vocab.CitationScope)),
    ),
)

SOURCE_REFERENCES = Table(
    "source_references",
    "source_references.csv",
    "References each seed article cites.",
    ("source_id", "reference_id"),
    (
        Column("source_id", "Seed article", True, foreign=("sources", "source_id")),
        Column("reference_id", "BibTeX key", True, foreign=("references", "reference_id")),
        Column("marker", "The article's own marker"),
    ),
)

REFERENCE_LINKS = Table(
    "reference_links",
    "reference_links.csv",
    "A reference that restates or cites another.",
    ("from_id", "to_id"),
    (
        Column("from_id", "Restating reference", True, foreign=("references", "reference_id")),
        Column("to_id", "Restated reference", True, foreign=("references", "reference_id")),
        Column("relation", "restates or cites", True, vocab=_v(vocab.ReferenceRelation)),
        Column("verification", "read, seed or inferred", True, vocab=_v(vocab.Verification)),
        Column("note", "Why the link is believed"),
    ),
)

CONDITIONS = Table(
    "conditions",
    "conditions.csv",
    "Condition taxonomy with synonyms and body region.",
    ("condition_id",),
    (
        Column("condition_id", "Condition id", True, pattern=ID_PATTERN),
        Column("label", "Display name", True),
        Column("synonyms", "Other names", is_list=True),
        Column("body_region", "Body region", True, vocab=_v(vocab.BodyRegion)),
        Column("parent_id", "Broader condition", foreign=("conditions", "condition_id")),
        Column("evidence_note", "For a condition with no usable review: what was found"),
        Column("evidence_ids", "Single studies or non-usable reviews behind evidence_note",
               is_list=True, foreign=("references", "reference_id")),
    ),
)

FINDINGS = Table(
    "findings",
    "findings.csv",
    "Evidence layer: review x condition x comparator x outcome x time window.",
    ("finding_id",),
    (
        Column("finding_id", "Finding id", True, pattern=ID_PATTERN),
        Column("reference_id", "Reporting review", True, foreign=("references", "reference_id")),
        Column("condition_id", "Condition", foreign=("conditions", "condition_id")),
        Column("intervention", "Intervention", True),
        Column("comparator", "Comparator class", True, vocab=_v(vocab.Comparator)),
        Column("comparator_detail", "Comparator as worded by the review"),
        Column("outcome", "Outcome class", True, vocab=_v(vocab.Outcome)),
        Column("outcome_detail", "Outcome as worded by the review"),
        Column("time_window", "Time window", True, vocab=_v(vocab.TimeWindow)),
        Column("time_wording", "The review's own time wording"),
        Column("direction", "Direction of effect", True, vocab=_v(vocab.Direction)),
        Column("effect_measure", "SMD, MD, dppc2, d, percent or unknown", True,
               vocab=_v(vocab.EffectMeasure)),
        Column("effect", "Point estimate or unknown", True, numeric=True, kind="number"),
        Column("ci_low", "Lower 95% CI bound or unknown", True, numeric=True, kind="number"),
        Column("ci_high", "Upper 95% CI bound or unknown", True, numeric=True, kind="number"),
        Column("n_studies", "Studies pooled or unknown", True, numeric=True, kind="integer"),
        Column("n_participants", "Participants or unknown", True, numeric=True,
               kind="integer"),
        Column("certainty", "Level or range where the source gives a level word, or a "
               "category", True, vocab=vocab.CERTAINTY_VALUES),
        Column("certainty_note", "Where the certainty comes from"),
        Column("certainty_basis", "GRADE, authors' wording, GRADE unclear, other tool, not "
               "stated or unknown", True, vocab=_v(vocab.CertaintyBasis)),
        Column("certainty_tool", "The other tool's name when the basis is other-tool"),
        Column("certainty_wording", "The authors' certainty words, verbatim"),
        Column("downgrade_reasons", "Reasons for downgrading, as given", is_list=True),
        Column("effect_note", "Sign convention and other printed estimates"),
        Column("evidence_tag", "Where the finding was read (references.md row tag)", True,
               is_list=True, vocab=_v(vocab.EvidenceTag)),
        Column("note", "Other facts: participant splits, carried-over tags, printing errors"),
    ),
)

CLAIMS = Table(
    "claims",
    "claims.csv",
    "Claim layer: one distinct assertion of a seed article per row.",
    ("claim_id",),
    (
        Column("claim_id", "Claim id", True, pattern=ID_PATTERN),
        Column("source_id", "Seed article", True, foreign=("sources", "source_id")),
        Column("section", "Article heading", True),
        Column("statement", "The claim in our own words", True),
        Column("quote", "Verbatim phrase of at most 12 words"),
        Column("reference_ids", "Cited references", is_list=True,
               foreign=("references", "reference_id")),
        Column("citation_scope", "inline, article or none", True, vocab=_v(vocab.CitationScope)),
        Column("condition_ids", "Conditions", is_list=True,
               foreign=("conditions", "condition_id")),
        Column("topic", "Topic", True, vocab=_v(vocab.Topic)),
        Column("wording_strength", "Certainty the wording asserts", True,
               vocab=_v(vocab.WordingStrength)),
    ),
)

CLAIM_FINDINGS = Table(
    "claim_findings",
    "claim_findings.csv",
    "Claim supported or contradicted by a finding.",
    ("claim_id", "finding_id"),
    (
        Column("claim_id", "Claim", True, foreign=("claims", "claim_id")),
        Column("finding_id", "Finding", True, foreign=("findings", "finding_id")),
        Column("relation", "supports or contradicts", True, vocab=_v(vocab.FindingRelation)),
        Column("via", "The cited page that restates the finding's review for this sentence",
               foreign=("references", "reference_id")),
        Column("note", "Why"),
    ),
)

ASSERTIONS = Table(
    "assertions",
    "assertions.csv",
    "Structured (subject, attribute, value) triples carried by claims.",
    ("claim_id", "subject", "attribute"),
    (
        Column("claim_id", "Claim", True, foreign=("claims", "claim_id")),
        Column("subject", "Subject", True),
        Column("attribute", "Attribute", True),
        Column("value", "Value as text", True),
        Column("value_min", "Numeric lower bound", numeric=True, kind="number"),
        Column("value_max", "Numeric upper bound", numeric=True, kind="number"),
        Column("unit", "Unit", vocab=_v(vocab.Unit)),
    ),
)

STATUS_OVERRIDES = Table(
    "status_overrides",
    "status_overrides.csv",
    "Curator overrides of computed support status.",
    ("claim_id",),
    (
        Column("claim_id", "Claim", True, foreign=("claims", "claim_id")),
        Column("support_status", "Curator's status", True, vocab=_v(vocab.SupportStatus)),
        Column("rationale", "Why", True),
    ),
)

SAFETY_FIGURES = Table(
    "safety_figures",
    "safety_figures.csv",
    "Safety layer: one adverse-event figure as a source states it (never derived).",
    ("figure_id",),
    (
        Column("figure_id", "Figure id", True, pattern=ID_PATTERN),
        Column("reference_id", "Source of the figure", True,
               foreign=("references", "reference_id")),
        Column("design", "Design of the source", True, vocab=_v(vocab.SafetyDesign)),
        Column("event", "Adverse event or reporting item, lower case", True),
        Column("severity", "Severity class in the source's terms", True,
               vocab=_v(vocab.Severity)),
        Column("numerator", "Count of events, cases or studies as printed", numeric=True,
               kind="integer"),
        Column("denominator", "Base count as printed", numeric=True, kind="integer"),
        Column("denominator_unit", "What the denominator or percentage base counts",
               vocab=_v(vocab.DenominatorUnit)),
        Column("percent", "Percentage as printed (lower end of a range)", numeric=True,
               kind="number"),
        Column("percent_max", "Upper end of a printed range", numeric=True, kind="number"),
        Column("bound", "How the percentage is bounded", vocab=_v(vocab.FigureBound)),
        Column("per_n", "N of a printed '1 per N' (never derived)", numeric=True, kind="integer"),
        Column("wording", "The figure's words as printed, at most 12 words", True),
        Column("note", "Caveats: denominators, units, what is unknown"),
        Column("evidence_tag", "How the figure was checked", True, vocab=_v(vocab.EvidenceTag)),
    ),
)

CONTRAINDICATION_ITEMS = Table(
    "contraindication_items",
    "contraindication_items.csv",
    "Contraindication items that sources classify.",
    ("item_id",),
    (
        Column("item_id", "Item id", True, pattern=ID_PATTERN),
        Column("label", "Display name", True),
        Column("synonyms", "Other wordings used by the sources", is_list=True),
    ),
)

CONTRAINDICATIONS = Table(
    "contraindications",
    "contraindications.csv",
    "One source's classification of one contraindication item; sources are never merged.",
    ("item_id", "reference_id", "source_id", "passage"),
    (
        Column("item_id", "Item", True, foreign=("contraindication_items", "item_id")),
        Column("reference_id", "Classifying reference (else empty)",
               foreign=("references", "reference_id")),
        Column("source_id", "Classifying seed article (else empty)",
               foreign=("sources", "source_id")),
        Column("passage", "Where in the source the classification stands", True),
        Column("credited_to", "References the seed article credits for it", is_list=True,
               foreign=("references", "reference_id")),
        Column("classification", "The source's own classification", True,
               vocab=_v(vocab.ContraindicationLevel)),
        Column("wording", "The source's words, or references.md's where the source was not read",
               True),
        Column("evidence_tag", "How the classification was checked", True,
               vocab=_v(vocab.EvidenceTag)),
        Column("note", "Caveats"),
    ),
)

CLAIM_SAFETY = Table(
    "claim_safety",
    "claim_safety.csv",
    "Claim supported or contradicted by an adverse-event figure.",
    ("claim_id", "figure_id"),
    (
        Column("claim_id", "Claim", True, foreign=("claims", "claim_id")),
        Column("figure_id", "Safety figure", True, foreign=("safety_figures", "figure_id")),
        Column("relation", "supports or contradicts", True, vocab=_v(vocab.FindingRelation)),
        Column("note", "Why, in words"),
    ),
)

TABLES: tuple[Table, ...] = (
    SOURCES, SOURCE_REFERENCES, REFERENCE_LINKS, CONDITIONS, FINDINGS, CLAIMS,
    CLAIM_FINDINGS, ASSERTIONS, STATUS_OVERRIDES, SAFETY_FIGURES, CONTRAINDICATION_ITEMS,
    CONTRAINDICATIONS, CLAIM_SAFETY,
)
BY_NAME = {t.name: t for t in TABLES}
BIB_FILE = "references.bib"
DATA_FILES: tuple[str, ...] = (*(t.file for t in TABLES), BIB_FILE)  # what a data dir holds
OPTIONAL_FILES = frozenset({STATUS_OVERRIDES.file, SAFETY_FIGURES.file,
                            CONTRAINDICATION_ITEMS.file, CONTRAINDICATIONS.file,
                            CLAIM_SAFETY.file})
