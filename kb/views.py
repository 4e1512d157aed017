"""Shape KB data for display: plain pandas, no streamlit.

Each app page reads its state from URL query parameters (`parse_params`), asks these functions
for frames and sentences, and writes its state back (`serialise_params`). Nothing here renders.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from kb import catalog, vocab
from kb.citations import article_name, reference_name, short_citation
from kb.columns import isin
from kb.cube import (
    BENEFIT,
    ConditionFilter,
    Cube,
    counting,
    evidence_status,
    query_conditions,
    ungraded_conditions,
    window_certainty,
)
from kb.model import KB
from kb.vocab import (
    COMPARATOR_CHOICES,
    COMPARATOR_LABEL,
    OUTCOME_CHOICES,
    OUTCOME_LABEL,
    OUTCOME_VERB,
    WINDOW_PHRASE,
)

CERTAINTY_CHOICES = vocab.Certainty.slugs()
MAX_TEXT = 200


# --- Query parameters ------------------------------------------------------------------------

@dataclass(frozen=True)
class ParamSpec:
    """One URL parameter: `one` value from choices, `many` (comma-separated), `text` or `flag`.

    `always` keeps the parameter in the URL even at its default (e.g. the card's condition).
    """

    name: str
    kind: str
    choices: Collection[str] = ()
    default: Any = None
    label: str = ""
    always: bool = False


def _clean(kind: str, default: Any) -> Any:
    if default is not None:
        return default
    return {"many": (), "text": "", "flag": False}.get(kind)


def parse_params(params: Mapping[str, str], specs: list[ParamSpec]) -> tuple[dict[str, Any],
                                                                              list[str]]:
    """Validated values for every spec (defaults where absent or invalid) and friendly warnings."""
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for spec in specs:
        default = _clean(spec.kind, spec.default)
        raw = params.get(spec.name)
        values[spec.name] = default
        if raw is None or (isinstance(raw, str) and raw == ""):
            continue
        raw = str(raw)
        what = spec.label or spec.name
        if spec.kind == "flag":
            if raw.lower() in ("1", "true", "yes", "on"):
                values[spec.name] = True
            elif raw.lower() not in ("0", "false", "no", "off"):
                warnings.append(f"Ignored {what} {raw[:40]!r}: expected 1 or 0.")
        elif spec.kind == "text":
            values[spec.name] = raw[:MAX_TEXT]
        elif spec.kind == "one":
            value = raw.strip().lower().replace(" ", "-") if spec.name == "certainty" else raw
            if value in spec.choices:
                values[spec.name] = value
            else:
                warnings.append(f"Unknown {what} {raw[:40]!r}; showing the default instead.")
        else:
            items = [item.strip() for item in raw.split(",") if item.strip()]
            good = tuple(item for item in items if item in spec.choices)
            bad = [item for item in items if item not in spec.choices]
            values[spec.name] = good
            if bad:
                warnings.append(f"Ignored unknown {what}: {', '.join(b[:40] for b in bad[:5])}.")
    return values, warnings


def serialise_params(values: Mapping[str, Any], specs: list[ParamSpec]) -> dict[str, str]:
    """Query parameters for the non-default values, in spec order."""
    out: dict[str, str] = {}
    for spec in specs:
        value = values.get(spec.name)
        if value is None or (value == _clean(spec.kind, spec.default) and not spec.always):
            continue
        if spec.kind == "flag":
            out[spec.name] = "1" if value else "0"
        elif spec.kind == "many":
            if value:
                out[spec.name] = ",".join(value)
        elif value != "":
            out[spec.name] = str(value)
    return out


def filter_specs(kb: KB) -> list[ParamSpec]:
    """URL parameters of the conditions explorer and the evidence map (made once per KB)."""
    return catalog.derived(kb, "filter specs", _filter_specs)


def _filter_specs(kb: KB) -> list[ParamSpec]:
    return [
        ParamSpec("certainty", "one", CERTAINTY_CHOICES, label="minimum certainty"),
        ParamSpec("window", "many", BENEFIT, label="time window"),
        ParamSpec("region", "many", vocab.BodyRegion.values(), label="body region"),
        ParamSpec("outcome", "many", OUTCOME_CHOICES, label="outcome"),
        ParamSpec("comparator", "many", COMPARATOR_CHOICES, label="comparator"),
        ParamSpec("source", "many", frozenset(kb.sources["source_id"]), label="source article"),
        ParamSpec("q", "text", label="search"),
        ParamSpec("optimistic", "flag", label="optimistic"),
        ParamSpec("grade", "flag", label="GRADE-rated only"),
    ]


def source_titles(kb: KB) -> dict[str, str]:
    """Each source article's title by its id, in the sources' order (made once per KB)."""
    return catalog.derived(kb, "source titles", lambda kb: dict(
        zip(kb.sources["source_id"].tolist(), kb.sources["title"].tolist(), strict=True)))


def body_regions(kb: KB) -> list[str]:
    """The body regions the conditions name, sorted (made once per KB)."""
    return catalog.derived(kb, "body regions",
                           lambda kb: sorted(kb.conditions["body_region"].unique().tolist()))


def condition_filter(values: Mapping[str, Any]) -> ConditionFilter:
    """The cube filter for parsed explorer values."""
    return ConditionFilter(
        min_certainty=values.get("certainty") or None,
        time_windows=tuple(values.get("window", ())),
        conservative=not values.get("optimistic", False),
        grade_only=bool(values.get("grade", False)),
        outcomes=tuple(values.get("outcome", ())),
        comparators=tuple(values.get("comparator", ())),
        regions=tuple(values.get("region", ())),
        source_ids=tuple(values.get("source", ())),
        text=str(values.get("q", "")),
    )


# --- Safe text -------------------------------------------------------------------------------

def plot_escape(values: pd.Series) -> pd.Series:
    """Labels for plotly, which reads a small HTML subset in text: escape its tags (`<`, `>`,
    `&`; quotes stay, since plotly shows `&quot;` as it is and a quote opens no tag)."""
    return values.fillna("").astype(str).map(lambda v: html.escape(v, quote=False))


# --- Conditions ------------------------------------------------------------------------------

WINDOW_COLUMNS = {w: "certainty_" + w.replace("-", "_") for w in BENEFIT}  # explorer columns
NO_SUPPORT = "—"  # an explorer cell where no finding with a certainty level favours DN


def explorer_table(kb: KB, f: ConditionFilter) -> pd.DataFrame:
    """Graded conditions for display, best first: one certainty column per benefit window
    (WINDOW_COLUMNS; the basis named when it is not GRADE, NO_SUPPORT where nothing
    supports), counted as the filter counts. in_words puts the other codes in words."""
    cube = catalog.cube(kb)
    table = query_conditions(cube, f)
    words = catalog.derived(kb, ("explorer cells", *counting(f)),
                            lambda _: _window_words(cube, f))
    cells = words.reindex(table["condition_id"], fill_value=NO_SUPPORT)
    return table[["condition_id", "label", "body_region"]].assign(
        **{column: cells[column].to_numpy() for column in WINDOW_COLUMNS.values()},
        n_findings=table["n_findings"], n_claims=table["n_claims"])


def _window_words(cube: Cube, f: ConditionFilter) -> pd.DataFrame:
    """Every supported condition's certainty cell per benefit window (WINDOW_COLUMNS), in
    words, counted as `f` counts: computed once per way of counting (cube.counting)."""
    cells = window_certainty(cube, f)
    return pd.DataFrame({WINDOW_COLUMNS[w]: _certainty_cell(cells[w], cells[f"{w}_basis"])
                         for w in BENEFIT}, index=cells.index)


def _certainty_cell(label: pd.Series, basis: pd.Series) -> pd.Series:
    """'moderate', 'moderate (authors' wording, not GRADE)', or NO_SUPPORT where no level."""
    basis = basis.astype("string")
    named = basis.map(vocab.CERTAINTY_BASIS_LABEL).where(basis != vocab.CertaintyBasis.GRADE)
    return (label.astype("string") + (" (" + named + ")").fillna("")).fillna(NO_SUPPORT)


def ungraded_groups(kb: KB, f: ConditionFilter) -> dict[str, pd.DataFrame]:
    """The conditions without graded evidence that the filter's region, article and search
    keep, by group (vocab.UNGRADED_GROUPS heading -> rows)."""
    rows = ungraded_conditions(catalog.cube(kb), f).drop(columns=["best_certainty"])
    return {title: rows[isin(rows["evidence_status"], statuses)].reset_index(drop=True)
            for title, statuses in vocab.UNGRADED_GROUPS.items()}


def condition_row(kb: KB, condition_id: str, conservative: bool = True) -> pd.Series | None:
    """The condition's best certainty and supported time windows (None when not graded)."""
    table = query_conditions(catalog.cube(kb), ConditionFilter(conservative=conservative))
    rows = table[table["condition_id"] == condition_id]
    return None if rows.empty else rows.iloc[0]


def certainty_text(label: str, basis: str = "") -> str:
    """'Certainty: moderate (authors' wording, not GRADE)'; a condition's standing reads
    'Evidence: listed as a possible use only'."""
    named = vocab.CERTAINTY_BASIS_LABEL.get(basis, "")
    head = "Evidence" if label in vocab.EvidenceStatus.values() else "Certainty"
    return f"{head}: {label}" + (f" ({named})" if named else "")


def condition_status(kb: KB, condition_id: str) -> str:
    """The condition's standing in words (vocab.EvidenceStatus)."""
    status = evidence_status(catalog.cube(kb), pd.Series([condition_id], dtype="string"))
    return str(status.iloc[0])


def condition_findings(kb: KB, condition_id: str) -> pd.DataFrame:
    """The findings about one condition, with a readable 95% CI and the review's short name."""
    f = kb.findings[kb.findings["condition_id"] == condition_id]
    cite = short_citation(kb.references)
    known = (f["ci_low"] != "unknown") & (f["ci_high"] != "unknown")
    ci = (f["ci_low"] + " to " + f["ci_high"]).where(known, "unknown")
    return pd.DataFrame({
        "finding_id": f["finding_id"],
        "review": f["reference_id"].map(cite).fillna(f["reference_id"]),
        "outcome": f["outcome"].map(OUTCOME_LABEL).fillna(f["outcome"]),
        "comparator": f["comparator"].map(COMPARATOR_LABEL).fillna(f["comparator"]),
        "comparator_detail": f["comparator_detail"],
        "intervention": f["intervention"],
        "time_window": f["time_window"],
        "time_wording": f["time_wording"],
        "direction": f["direction"],
        "effect_measure": f["effect_measure"],
        "effect": f["effect"],
        "ci_95": ci,
        "ci_low": f["ci_low"],
        "ci_high": f["ci_high"],
        "n_studies": f["n_studies"],
        "certainty": f["certainty"],
        "certainty_note": f["certainty_note"],
        "window": f["time_window"].map(vocab.TIME_WINDOW_LABEL).fillna(f["time_window"]),
        "result": f["direction"].map(vocab.DIRECTION_LABEL).fillna(f["direction"]),
        "basis": f["certainty_basis"].map(vocab.CERTAINTY_BASIS_LABEL).fillna(""),
    }).reset_index(drop=True)


def review_disagreements(kb: KB, condition_id: str) -> list[str]:
    """Sentences naming each outcome and time window where reviews of the condition disagree:
    one finds dry needling better, another no difference or the comparator better."""
    f = condition_findings(kb, condition_id)
    f = f[f["window"].isin([vocab.TIME_WINDOW_LABEL[w] for w in BENEFIT])]
    lines = []
    for (outcome, window), group in f.groupby(["outcome", "window"], sort=False):
        better = group[group["result"] == vocab.DIRECTION_LABEL["favours-dn"]]
        other = group[group["result"].isin([vocab.DIRECTION_LABEL["no-difference"],
                                            vocab.DIRECTION_LABEL["favours-comparator"]])]
        if better.empty or other.empty:
            continue
        def said(rows: pd.DataFrame) -> str:
            return "; ".join(dict.fromkeys(
                rows["review"] + " (vs " + rows["comparator"] + ", "
                + rows["certainty"].replace(vocab.Ungraded.UNKNOWN.value, "level not stated")
                + ")"))
        lines.append(f"{outcome}, {window}: better with dry needling in {said(better)}; "
                     f"{other['result'].iloc[0]} in {said(other)}.")
    return lines


# Column headers a clinician reads; downloads keep the column names.
HEADERS = {"review": "Review", "outcome": "Outcome", "comparator": "Compared with",
           "comparator_detail": "Compared with (review's words)", "intervention": "Intervention",
           "window": "Time", "time_wording": "Time (review's words)", "result": "Result",
           "effect_measure": "Measure", "effect": "Effect", "ci_95": "95% CI",
           "n_studies": "Studies", "certainty": "Certainty", "basis": "Certainty basis",
           "certainty_note": "Certainty note", "finding_id": "Finding id",
           "source_id": "Article", "statement": "Claim", "support_status": "Support status",
           "claim_id": "Claim id", "section": "Section", "topic": "Topic",
           "status_rationale": "Why", "reference_ids": "Reference ids",
           "condition_ids": "Condition ids", "time_window": "Time", "article": "Article",
           "references": "References cited", "conditions": "Conditions",
           "wording_strength": "Wording strength", "subject": "Subject",
           "attribute": "Attribute", "claim_a": "Claim A", "source_a": "Article A",
           "value_a": "A says", "claim_b": "Claim B", "source_b": "Article B",
           "value_b": "B says", "evidence_favours": "Evidence favours",
           "rationale": "Why they disagree", "label": "Condition", "body_region": "Body region",
           "time_windows": "Supported for", "evidence_status": "Evidence",
           "best_certainty": "Best certainty", "certainty_basis": "Basis",
           "n_findings": "Findings", "n_claims": "Claims",
           "n_supporting": "Supporting findings", "via": "How it depends on the reference",
           "measured": "Finding", "condition_id": "Condition id",
           "best_before": "Best certainty now", "best_after": "Best certainty without it",
           "reference_id": "Reference id", "name": "Reference", "title": "Title",
           "n_claims_specific": "Claims citing it specifically", "n_conditions": "Conditions"}
# Vocabulary columns and the labels their values are shown in (kb.vocab).
COLUMN_LABELS: dict[str, Mapping[str, str]] = {
    "topic": vocab.TOPIC_LABEL, "time_window": vocab.TIME_WINDOW_LABEL,
    "time_windows": vocab.TIME_WINDOW_LABEL, "support_status": vocab.STATUS_LABEL,
    "wording_strength": vocab.WORDING_LABEL, "certainty": vocab.CERTAINTY_LABEL,
    "body_region": vocab.BODY_REGION_LABEL, "certainty_basis": vocab.CERTAINTY_BASIS_LABEL}


def label_list(values: pd.Series, labels: Mapping[str, str]) -> pd.Series:
    """Each value in words; a list ('a;b' or 'a, b') becomes 'A, B'. Unknown values stay."""
    text = values.fillna("").astype(str)
    out = text.map(labels).fillna(text)
    many = text.str.contains(r"[;,]", regex=True)
    if many.any():
        items = text[many].str.split(r"\s*[;,]\s*", regex=True).explode()
        words = items.map(labels).fillna(items)
        out[many] = words.groupby(level=0, sort=False).agg(", ".join)
    return out


def in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every vocabulary column (COLUMN_LABELS) in words, for display."""
    return frame.assign(**{c: label_list(frame[c], COLUMN_LABELS[c])
                           for c in frame.columns if c in COLUMN_LABELS})


def _certainty_words(label: str) -> str:
    """'moderate' -> 'moderate-certainty'; 'low to moderate' -> 'low- to moderate-certainty'."""
    if " to " in label:
        low, high = label.split(" to ", 1)
        return f"{low}- to {high}-certainty"
    return f"{label}-certainty"


def best_findings(kb: KB, condition_id: str, conservative: bool = True) -> pd.DataFrame:
    """Supporting GRADE-rated findings for a condition's benefit windows, best first."""
    f = kb.findings
    f = f[(f["condition_id"] == condition_id) & (f["direction"] == vocab.Direction.FAVOURS_DN)
          & f["cert_max"].notna() & f["time_window"].isin(BENEFIT)]
    order = ["cert_min", "cert_max"] if conservative else ["cert_max", "cert_min"]
    return f.sort_values(order, ascending=False)


def bottom_line(kb: KB, condition_id: str, conservative: bool = True) -> str:
    """One plain sentence from the condition's best supporting finding, in GRADE's words."""
    labels = kb.conditions.set_index("condition_id")["label"]
    label = str(labels.get(condition_id, condition_id))
    best = best_findings(kb, condition_id, conservative)
    if best.empty:
        return _ungraded_line(kb, condition_id, label)
    top = best.iloc[0]
    cite = short_citation(kb.references).get(top["reference_id"], top["reference_id"])
    lowest = int(top["cert_min"])
    verb_is, verb_base = OUTCOME_VERB.get(top["outcome"], ("helps", "help"))
    claim = {4: f"dry needling {verb_is}", 3: f"dry needling probably {verb_is}",
             2: f"dry needling may {verb_base}"}.get(
        lowest, f"it is very uncertain whether dry needling {verb_is}")
    link = ": " if lowest == 1 else " that "
    comparator = COMPARATOR_LABEL.get(top["comparator"])
    versus = f" compared with {comparator}" if top["comparator"] in COMPARATOR_CHOICES else ""
    window = WINDOW_PHRASE.get(top["time_window"], "")
    words = _certainty_words(top["certainty"])
    basis = top.get("certainty_basis", vocab.CertaintyBasis.GRADE)
    if basis != vocab.CertaintyBasis.GRADE:
        words += f" ({vocab.CERTAINTY_BASIS_LABEL.get(basis, basis)})"
    return f"{label}: {words} evidence{link}{claim} {window}{versus} ({cite}).".replace("  ", " ")


def _ungraded_line(kb: KB, condition_id: str, label: str) -> str:
    """The bottom line when no GRADE-rated finding favours dry needling for the condition."""
    f = kb.findings[kb.findings["condition_id"] == condition_id]
    if f.empty:
        return (f"No graded evidence: the articles list {label.lower()} as a possible use of dry "
                f"needling, but no review in the KB reports on it.")
    cites = short_citation(kb.references)
    favour = f[(f["direction"] == vocab.Direction.FAVOURS_DN) & f["time_window"].isin(BENEFIT)]
    if favour.empty:
        sources = ", ".join(dict.fromkeys(f["reference_id"].map(cites)))
        return (f"{label}: no review in the KB found dry needling better; its findings show no "
                f"difference, an unclear result or a result not known to us ({sources}).")
    outcomes = " and ".join(dict.fromkeys(favour["outcome"].map(OUTCOME_LABEL)))
    sources = ", ".join(dict.fromkeys(favour["reference_id"].map(cites)))
    why = ("the certainty of that evidence is not known to us"
           if (favour["certainty"] == "unknown").any()
           else "the reviews did not rate the certainty of the evidence with GRADE")
    line = f"{label}: reviews found dry needling better for {outcomes} ({sources}), but {why}"
    same = f[(f["direction"] == vocab.Direction.NO_DIFFERENCE) & f["cert_max"].notna()]
    same = same.drop_duplicates(["outcome", "comparator", "reference_id"])
    for (comparator, certainty, ref), group in same.groupby(
            ["comparator", "certainty", "reference_id"], sort=False):
        than = COMPARATOR_LABEL.get(comparator, "")
        than = f" than {than}" if comparator not in ("unspecified", "not-applicable") else ""
        outcomes = " and ".join(OUTCOME_LABEL.get(o, o) for o in group["outcome"])
        line += (f"; for {outcomes} it was no better{than} "
                 f"({_certainty_words(certainty)} evidence, {cites.get(ref)})")
    return line + "."


# --- Claims ----------------------------------------------------------------------------------

def claims_with_status(kb: KB) -> pd.DataFrame:
    """Claims with their computed support status and rationale."""
    return catalog.table(kb, "claims")


def _has_item(column: pd.Series, item: str) -> pd.Series:
    return (";" + column.fillna("") + ";").str.contains(f";{item};", regex=False)


def filter_claims(claims: pd.DataFrame, sources: Collection[str] = (),
                  topics: Collection[str] = (), statuses: Collection[str] = (),
                  reference_id: str = "", condition_id: str = "", text: str = "",
                  assessable_only: bool = False) -> pd.DataFrame:
    """Claims matching every given filter; empty filters match all. `assessable_only` drops
    claims that are not assessable unless `statuses` asks for them."""
    mask = pd.Series(True, index=claims.index)
    unassessable = vocab.SupportStatus.NOT_ASSESSABLE
    if assessable_only and unassessable not in statuses and "support_status" in claims:
        mask &= claims["support_status"] != unassessable
    if sources:
        mask &= claims["source_id"].isin(list(sources))
    if topics:
        mask &= claims["topic"].isin(list(topics))
    if statuses and "support_status" in claims:
        mask &= claims["support_status"].isin(list(statuses))
    if reference_id:
        mask &= _has_item(claims["reference_ids"], reference_id)
    if condition_id:
        mask &= _has_item(claims["condition_ids"], condition_id)
    if text.strip():
        mask &= claims["statement"].str.casefold().str.contains(text.strip().casefold(),
                                                                regex=False)
    return claims[mask]


def claims_in_words(kb: KB, claims: pd.DataFrame) -> pd.DataFrame:
    """Claims with what their id columns name, in words: `article` (its publisher, else its
    author),
    `references` ('Liu 2018, Gattie 2017') and `conditions` (the conditions' labels)."""
    conditions = kb.conditions.set_index("condition_id")["label"]
    return claims.assign(
        article=claims["source_id"].map(article_name(kb.sources)).fillna(claims["source_id"]),
        references=label_list(claims["reference_ids"], reference_name(kb.references)),
        conditions=label_list(claims["condition_ids"], conditions))


def safety_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Safety and contraindication claims: they apply to every condition."""
    return claims[claims["topic"].isin([vocab.Topic.SAFETY, vocab.Topic.CONTRAINDICATION])]


def condition_reference_ids(kb: KB, condition_id: str) -> list[str]:
    """References behind a condition: its findings' reviews, then what its claims cite."""
    from_findings = kb.findings.loc[kb.findings["condition_id"] == condition_id, "reference_id"]
    claims = filter_claims(kb.claims, condition_id=condition_id)
    cited = claims["reference_ids"].str.split(";").explode().str.strip()
    ids = pd.concat([from_findings, cited]).dropna()
    return list(dict.fromkeys(i for i in ids.tolist() if i))


# --- Graph -----------------------------------------------------------------------------------

def graph_frames(graph: nx.MultiDiGraph, positions: Mapping[str, Any],
                 names: Mapping[str, str] | None = None, degree: Mapping[str, int] | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, edges) for plotting: node x, y, kind, its words (`kind_label`), the escaped
    hover `label` (kind and full label, never the id), the escaped short `name` shown beside
    the marker, and `degree` (given, e.g. in the whole graph, else in `graph`); edge ends."""
    ids = list(graph.nodes)
    data = dict(graph.nodes(data=True))
    names = {} if names is None else names
    degree = dict(graph.degree()) if degree is None else degree
    nodes = pd.DataFrame({
        "node": ids,
        "kind": [data[n].get("kind", "") for n in ids],
        "label": [str(data[n].get("label", "")) for n in ids],
        "name": [str(names.get(n, data[n].get("label", ""))) for n in ids],
        "degree": [int(degree.get(n, 0)) for n in ids],
        "x": [float(positions[n][0]) for n in ids],
        "y": [float(positions[n][1]) for n in ids],
    })
    nodes["kind_label"] = nodes["kind"].map(vocab.NODE_KIND_LABEL).fillna(nodes["kind"])
    nodes["label"] = plot_escape(nodes["kind_label"] + ": " + nodes["label"].str.slice(0, 160))
    short = nodes["name"].where(nodes["name"].str.len() <= 28,
                                nodes["name"].str.slice(0, 27).str.rstrip() + "…")
    nodes["name"] = plot_escape(short)
    pairs = [(a, b, d.get("relation", "")) for a, b, d in graph.edges(data=True)]
    edges = pd.DataFrame(pairs, columns=["source", "target", "relation"])
    xy = nodes.set_index("node")[["x", "y"]]
    for end in ("source", "target"):
        edges[f"{end}_x"] = edges[end].map(xy["x"])
        edges[f"{end}_y"] = edges[end].map(xy["y"])
    return nodes, edges
