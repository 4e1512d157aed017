"""Safety as outcomes, for display: adverse-event rows and the contraindication matrix.

Plain pandas, no Streamlit. Every figure is shown as its source printed it (no rate, percentage
or "1 in N" is derived); Boyce 2020's two printed denominators stay side by side. Sources that
classify a contraindication are never merged: the matrix keeps one column per source and says
whether they agree.
"""

from __future__ import annotations

import pandas as pd

from kb import vocab
from kb.citations import short_citation
from kb.model import KB
from kb.summary import NOT_KNOWN

# Adverse-event groups, in the order the card and the Safety page show them.
GROUPS = ("Minor events per treatment (prospective studies)",
          "Serious or major events", "Minor events by type (prospective studies)",
          "Surveys, reviews and trial tables", "Case reports of serious events")
EVENT_COLUMNS = ["group", "event", "figure", "sample", "severity", "source", "design",
                 "wording", "note", "figure_id", "reference_id"]
HEADERS = {"event": "Event", "figure": "Figure as printed", "sample": "Sample",
           "severity": "Severity (source's class)", "source": "Source", "design": "Design",
           "wording": "Source's words", "note": "Note"}
# The contraindication matrix's first and last columns (one column per source between them)
# and the verdict of an item the sources classify differently.
ITEM, VERDICT = "Contraindication", "Sources agree?"
DISAGREE = "sources disagree"
BOUND_WORDS = {"less-than": "<", "at-most": "≤", "up-to": "up to ", "approximate": "about "}


def source_labels(kb: KB) -> pd.Series:
    """A readable name per reference: 'Boyce 2020'; without authors the journal and year
    ('Cureus 2021'), the publisher, or a short title; else the id in words."""
    refs = kb.references.set_index("reference_id")
    cite = short_citation(kb.references)

    def column(name: str) -> pd.Series:
        return refs[name].fillna("") if name in refs else pd.Series("", index=refs.index)

    year = column("year")
    authored = column("author") != ""
    journal = (column("journal") + " " + year).str.strip()
    publisher = column("publisher")
    title = column("title").str.replace(r"^(.{0,48}\S)\s.*$", r"\1…", regex=True)
    words = pd.Series(refs.index, index=refs.index).str.replace("-", " ").str.capitalize()
    words = words.str.replace(r"\b(\w{2})\b", lambda m: m.group(1).upper(), regex=True)
    label = words.mask(title != "", (title + " " + year).str.strip())
    label = label.mask(publisher != "", (publisher + " " + year).str.strip())
    label = label.mask(column("journal") != "", journal)
    return label.mask(authored, cite.reindex(refs.index))


def _number(values: pd.Series) -> pd.Series:
    """Digits as printed, with thousands separators ('20494' -> '20,494')."""
    numeric = pd.to_numeric(values, errors="coerce")
    text = numeric.map(lambda n: f"{int(n):,}" if pd.notna(n) and n == int(n) else
                       (f"{n:g}" if pd.notna(n) else ""))
    return text.astype("string").fillna("")


def _figures(f: pd.DataFrame) -> pd.Series:
    """'7,531 of 20,494 or 20,464 treatments (36.7%)', '<0.1%', '70% of practitioners
    surveyed', '1 case'; the printed words when no number is printed."""
    unit = f["denominator_unit"].fillna("").map(vocab.DENOMINATOR_UNIT_LABEL).fillna("")
    percent = f["percent"].fillna("")
    bound = f["bound"].fillna("").map(BOUND_WORDS).fillna("")
    pct = (bound + percent + "%").where(percent != "", "")
    pct = pct.mask((f["bound"] == "range") & (percent != ""),
                   percent + "% to about " + f["percent_max"].fillna("") + "%")
    pct = pct.mask(f["bound"] == "at-most", pct + ", an upper limit: none observed")
    per_n = _number(f["per_n"].fillna(""))
    pct = pct.mask((per_n != "") & (pct != ""), pct + "; 1 per " + per_n)
    numerator, denominator = _number(f["numerator"].fillna("")), f["denominators"]
    count = (numerator + " of " + denominator + " " + unit).where(denominator != "", "")
    count = count.mask((denominator == "") & (numerator != "") & (f["design"] == "case-report"),
                       numerator + " case" + numerator.map(lambda n: "" if n == "1" else "s"))
    text = (count + " (" + pct + ")").where((count != "") & (pct != ""), count + pct)
    text = text.mask((pct != "") & (count == "") & f["denominator_unit"].isin(
        ["respondents", "patients", "treatments"]), pct + " of " + unit)
    return text.mask(text == "", f["wording"].fillna(""))


def _group(f: pd.DataFrame) -> pd.Series:
    severity, unit, design = f["severity"], f["denominator_unit"].fillna(""), f["design"]
    group = pd.Series(GROUPS[3], index=f.index, dtype="string")
    group = group.mask((severity == "minor") & (unit == "unknown")
                       & (design == "prospective"), GROUPS[2])
    group = group.mask(severity.isin(["major", "serious"]), GROUPS[1])
    group = group.mask((severity == "minor") & (unit == "treatments")
                       & (design == "prospective"), GROUPS[0])
    return group.mask(design == "case-report", GROUPS[4])


def adverse_events(kb: KB) -> pd.DataFrame:
    """One row per adverse-event figure (Boyce 2020's two denominators on one row), grouped
    (GROUPS), each with its source, design, sample and the source's own words."""
    f = kb.safety_figures.copy()
    if f.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in EVENT_COLUMNS})
    keys = ["reference_id", "event", "numerator", "percent", "bound"]
    f["denominators"] = (f.assign(d=_number(f["denominator"].fillna("")))
                         .groupby(keys, dropna=False, sort=False)["d"]
                         .transform(lambda d: " or ".join(x for x in dict.fromkeys(d) if x)))
    f = f.drop_duplicates(keys)
    labels = source_labels(kb)
    unit = f["denominator_unit"].fillna("").map(vocab.DENOMINATOR_UNIT_LABEL).fillna("")
    sample = (f["denominators"] + " " + unit).where(f["denominators"] != "", NOT_KNOWN)
    rows = pd.DataFrame({
        "group": _group(f),
        "event": f["event"].str.slice(0, 1).str.upper() + f["event"].str.slice(1),
        "figure": _figures(f),
        "sample": sample,
        "severity": f["severity"].map(vocab.SEVERITY_LABEL).fillna(f["severity"]),
        "source": f["reference_id"].map(labels).fillna(f["reference_id"]),
        "design": f["design"].map(vocab.SAFETY_DESIGN_LABEL).fillna(f["design"]),
        "wording": f["wording"].fillna(""),
        "note": f["note"].fillna(""),
        "figure_id": f["figure_id"],
        "reference_id": f["reference_id"],
    })
    order = rows["group"].map({g: i for i, g in enumerate(GROUPS)})
    return rows.loc[order.sort_values(kind="stable").index].reset_index(drop=True)


def per_treatment(events: pd.DataFrame) -> pd.DataFrame:
    """The adverse-event rows (adverse_events) of prospective studies counted per treatment:
    minor and serious events."""
    return events[events["group"].isin(GROUPS[:2])
                  & (events["design"] == vocab.SAFETY_DESIGN_LABEL["prospective"])]


def disagreeing(matrix: pd.DataFrame) -> pd.DataFrame:
    """The rows of a contraindication matrix whose sources classify the item differently."""
    return matrix[matrix[VERDICT] == DISAGREE]


def headline_rates(kb: KB) -> list[str]:
    """The prospective studies' per-treatment figures in one sentence each (card, deck)."""
    rows = per_treatment(adverse_events(kb))
    return (rows["event"] + ": " + rows["figure"] + " (" + rows["source"] + ")").tolist()


def case_report_count(kb: KB) -> int:
    return int((kb.safety_figures["design"] == vocab.SafetyDesign.CASE_REPORT).sum())


def contraindication_matrix(kb: KB) -> pd.DataFrame:
    """Item x source: each source's classification in words (passages joined), then whether
    the sources agree. Items where sources disagree come first; sources that classify more
    items come first. A blank cell: the source does not mention the item in the part read."""
    c = kb.contraindications
    if c.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in (ITEM, VERDICT)})
    labels = source_labels(kb)
    publishers = kb.sources.set_index("source_id")["publisher"]
    source = c["reference_id"].fillna("").map(labels).fillna("")
    seed = c["source_id"].fillna("").map(publishers).fillna(c["source_id"].fillna(""))
    source = source.where(c["reference_id"].fillna("") != "", seed + " (article)")
    word = c["classification"].map(vocab.CONTRAINDICATION_LABEL).fillna(c["classification"])
    cells = pd.DataFrame({"item": c["item_id"], "source": source, "word": word,
                          "strength": c["classification"].map(vocab.CONTRAINDICATION_STRENGTH)})
    joined = (cells.drop_duplicates(["item", "source", "word"])
              .groupby(["item", "source"], sort=False)["word"].agg("; ".join))
    matrix = joined.unstack("source").fillna("")
    columns = cells.groupby("source")["item"].nunique().sort_values(ascending=False,
                                                                       kind="stable").index
    matrix = matrix[list(columns)]
    strength = cells.dropna(subset=["strength"])
    strength = strength[strength["strength"] > 0].groupby("item")["strength"]
    spread = (strength.max() - strength.min()).reindex(matrix.index)
    sources = cells.groupby("item")["source"].nunique().reindex(matrix.index)
    verdict = pd.Series("sources agree", index=matrix.index, dtype="string")
    verdict = verdict.mask(spread > 0, DISAGREE)
    verdict = verdict.mask(sources == 1, "one source only")
    verdict = verdict.mask(spread.isna() & (sources > 1), "no source classifies it firmly")
    items = kb.contraindication_items.set_index("item_id")["label"]
    out = matrix.assign(**{VERDICT: verdict})
    names = pd.Series(out.index, index=out.index)
    out.insert(0, ITEM, names.map(items).fillna(names).to_numpy())
    rank = verdict.map({DISAGREE: 0, "sources agree": 1,
                        "no source classifies it firmly": 2, "one source only": 3})
    out = out.assign(_rank=rank.to_numpy(), _n=sources.to_numpy())
    out = out.sort_values(["_rank", "_n", ITEM], ascending=[True, False, True])
    return out.drop(columns=["_rank", "_n"]).reset_index(drop=True)
