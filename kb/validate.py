"""Validation: every problem in data/, each located as `file:line:field message`.

Checks are vectorised masks over whole columns; Problem objects are made only for failing rows.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from kb import vocab
from kb.columns import isin, list_items
from kb.parse import Parsed
from kb.problems import EXCERPT, Problem
from kb.read import RawData
from kb.schema import BIB_FILE, BY_NAME, TABLES, Column, Table

DOI_PATTERN = r"10\.\d{4,9}/[^\s]+"
URL_PATTERN = r"https?://[^\s]+"
MAX_QUOTE_WORDS = 12
BIB_PATTERNS = (
    ("doi", DOI_PATTERN,
     " is not a bare DOI such as 10.2519/jospt.2017.7096 (no spaces, no prefix)"),
    ("url", URL_PATTERN, " is not an http or https address"),
    ("year", r"\d{4}", " is not a year"),
)


def _report(parsed: Parsed, file: str, field: str, mask: pd.Series, messages) -> list[Problem]:
    """Problems for the rows where mask is true; messages is a str or a Series of str."""
    if not mask.any():
        return []
    lines = parsed.lines[mask.to_numpy()].tolist()
    texts = [messages] * len(lines) if isinstance(messages, str) else messages[mask].tolist()
    return [Problem(file, line, field, text) for line, text in zip(lines, texts, strict=True)]


def _filled(series: pd.Series) -> pd.Series:
    return series.str.strip() != ""


def _mismatch(values: pd.Series, pattern: str) -> pd.Series:
    """Filled cells that do not fully match the pattern."""
    return _filled(values) & ~values.str.fullmatch(pattern).fillna(False)


def _short(series: pd.Series) -> pd.Series:
    """Each value cut to a short excerpt (Problem escapes its control characters)."""
    series = series.astype("string")
    if not isinstance(series, pd.Series):  # an empty aggregate comes back as a frame
        return series
    long = (series.str.len() > EXCERPT).fillna(False)
    return series.str.slice(0, EXCERPT) + long.map({True: "…", False: ""}).astype("string")


def _quoted(series: pd.Series) -> pd.Series:
    return "'" + _short(series) + "'"


def check_column(parsed: Parsed, table: Table, column: Column) -> list[Problem]:
    """Required, pattern, vocabulary and numeric checks of one column."""
    values = parsed.frame[column.name]
    filled = _filled(values)
    found = []
    if column.required:
        found += _report(parsed, table.file, column.name, ~filled, "required value is empty")
    if column.pattern:
        found += _report(parsed, table.file, column.name, _mismatch(values, column.pattern),
                         _quoted(values) + f" does not match {column.pattern}")
    if column.vocab:
        items = list_items(values) if column.is_list else values
        bad_items = (items.str.strip() != "") & ~isin(items, column.vocab)
        bad = (bad_items.groupby(level=0).any().reindex(values.index, fill_value=False)
               if column.is_list else bad_items)
        allowed = ", ".join(column.vocab[:12]) + (" ..." if len(column.vocab) > 12 else "")
        found += _report(parsed, table.file, column.name, bad,
                         _quoted(values) + f" is not one of: {allowed}")
    if column.numeric:
        known = filled & (values != "unknown")
        bad = known & pd.to_numeric(values.where(known), errors="coerce").isna()
        found += _report(parsed, table.file, column.name, bad,
                         _quoted(values) + " is not a number (or 'unknown')")
    return found


def _normal(series: pd.Series) -> pd.Series:
    """NFKC case-folded ids; only ids outside lower-case ASCII need the slow path."""
    normal = series.astype("string")
    special = ~normal.str.fullmatch(r"[a-z0-9_-]*").fillna(True)
    if special.any():
        normal = normal.mask(special, normal[special].map(
            lambda s: unicodedata.normalize("NFKC", s).casefold()))
    return normal


def check_keys(parsed: Parsed, file: str, key: list[str], field: str) -> list[Problem]:
    """Duplicate keys, and single keys that differ only by case or Unicode form."""
    frame = parsed.frame
    duplicate = frame.duplicated(key, keep="first")
    joined = frame.loc[duplicate, key].astype("string").agg("/".join, axis=1)
    found = _report(parsed, file, field, duplicate,
                    "duplicate id " + _quoted(joined.reindex(frame.index)))
    if len(key) == 1:
        clash = _normal(frame[key[0]]).duplicated(keep="first") & ~duplicate
        found += _report(parsed, file, field, clash, "id " + _quoted(frame[key[0]]) +
                         " differs from another id only by case or Unicode normalisation")
    return found


def _ids(raw: RawData, table: str, column: str) -> pd.Series:
    if table == "references":
        return raw.references.frame["reference_id"]
    return raw.tables[table].frame[column]


def check_foreign(raw: RawData, table: Table, column: Column) -> list[Problem]:
    """Every id in a linking column exists in the table it points to."""
    parsed = raw.tables[table.name]
    target_table, target_column = column.foreign
    target_problems = (raw.references.problems if target_table == "references"
                       else raw.tables[target_table].problems)
    if target_problems:
        return []
    targets = _ids(raw, target_table, target_column)
    values = parsed.frame[column.name]
    items = list_items(values) if column.is_list else values
    missing = (items.str.strip() != "") & ~isin(items, targets)
    if not missing.any():
        return []
    names = items[missing].groupby(level=0).agg(", ".join)
    mask = pd.Series(False, index=values.index)
    mask[names.index] = True
    noun = target_table.rstrip("s").replace("_", " ")
    return _report(parsed, table.file, column.name, mask,
                   f"unknown {noun} id '" + _short(names.reindex(values.index).fillna("")) + "'")


def check_table(raw: RawData, table: Table) -> list[Problem]:
    parsed = raw.tables[table.name]
    if parsed.problems or parsed.frame.empty:
        return []
    found = []
    for column in table.columns:
        found += check_column(parsed, table, column)
        if column.foreign:
            found += check_foreign(raw, table, column)
    return found + check_keys(parsed, table.file, list(table.key), table.key[-1])


def check_references(raw: RawData) -> list[Problem]:
    """BibTeX entries: vocabularies, DOIs, URL schemes and key clashes."""
    parsed = raw.references
    frame = parsed.frame
    if frame.empty:
        return []
    found = check_keys(parsed, BIB_FILE, ["reference_id"], "key")
    for name, allowed in (("evidencetype", vocab.EvidenceType.values()),
                          ("verification", vocab.Verification.values())):
        bad = ~isin(frame[name], allowed)
        found += _report(parsed, BIB_FILE, name, bad, _quoted(frame[name]) +
                         " is not one of: " + ", ".join(allowed))
    for name, pattern, message in BIB_PATTERNS:
        found += _report(parsed, BIB_FILE, name, _mismatch(frame[name], pattern),
                         _quoted(frame[name]) + message)
    return found


def check_claims(raw: RawData) -> list[Problem]:
    """Claim rules the schema cannot express: quote length, citation scope, cited by article."""
    parsed = raw.tables["claims"]
    frame = parsed.frame
    if parsed.problems or frame.empty:
        return []
    file = BY_NAME["claims"].file
    words = frame["quote"].str.split().str.len().fillna(0)
    found = _report(parsed, file, "quote", words > MAX_QUOTE_WORDS,
                    f"quote has more than {MAX_QUOTE_WORDS} words; paraphrase in the statement")
    has_refs = _filled(frame["reference_ids"])
    scope_none = frame["citation_scope"] == vocab.CitationScope.NONE
    found += _report(parsed, file, "citation_scope", has_refs == scope_none,
                     "citation_scope 'none' goes with empty reference_ids, and only with them")
    cited = raw.tables["source_references"].frame
    items = list_items(frame["reference_ids"])
    pairs = pd.DataFrame({"source_id": frame.loc[items.index, "source_id"],
                          "reference_id": items}, index=items.index)
    pairs = pairs[pairs["source_id"] != ""]
    known = pairs.merge(cited[["source_id", "reference_id"]], how="left", indicator=True)
    orphan = known["_merge"].eq("left_only").to_numpy()
    if orphan.any():
        bad = pairs[orphan]
        names = bad.groupby(level=0)["reference_id"].agg(", ".join)
        mask = frame.index.isin(names.index)
        found += _report(parsed, file, "reference_ids", pd.Series(mask, index=frame.index),
                         "'" + _short(names.reindex(frame.index).fillna("")) +
                         "' not in the article's reference list (source_references.csv)")
    return found


def check_assertions(raw: RawData) -> list[Problem]:
    parsed = raw.tables["assertions"]
    frame = parsed.frame
    if parsed.problems or frame.empty:
        return []
    low = pd.to_numeric(frame["value_min"], errors="coerce")
    high = pd.to_numeric(frame["value_max"], errors="coerce")
    numeric = low.notna() | high.notna()
    found = _report(parsed, BY_NAME["assertions"].file, "value_min", low > high,
                    "value_min is greater than value_max")
    return found + _report(parsed, BY_NAME["assertions"].file, "unit",
                           numeric & ~_filled(frame["unit"]), "a numeric value needs a unit")


def check_restates_cycles(raw: RawData) -> list[Problem]:
    """Restates links must form no cycle."""
    import networkx as nx

    parsed = raw.tables["reference_links"]
    frame = parsed.frame
    restates = frame[frame["relation"] == vocab.ReferenceRelation.RESTATES]
    graph = nx.DiGraph(list(zip(restates["from_id"], restates["to_id"], strict=True)))
    found = []
    for found_cycle in nx.simple_cycles(graph):
        start = found_cycle.index(min(found_cycle))
        cycle = found_cycle[start:] + found_cycle[:start]
        first = restates.index[restates["from_id"] == cycle[0]][0]
        path = " -> ".join([*cycle, cycle[0]])
        found.append(Problem(BY_NAME["reference_links"].file, int(parsed.lines[first]),
                             "to_id", f"restates links form a cycle: {path}"))
    return found


def check_contraindications(raw: RawData) -> list[Problem]:
    """A classification comes from exactly one source: a reference or a seed article."""
    parsed = raw.tables["contraindications"]
    frame = parsed.frame
    if parsed.problems or frame.empty:
        return []
    both = _filled(frame["reference_id"]) == _filled(frame["source_id"])
    return _report(parsed, BY_NAME["contraindications"].file, "source_id", both,
                   "set exactly one of reference_id and source_id")


def validate(raw: RawData) -> list[Problem]:
    """Every problem in the data, sorted by file and line."""
    found = list(raw.problems)
    for table in TABLES:
        found += check_table(raw, table)
    found += check_references(raw)
    found += check_claims(raw)
    found += check_assertions(raw)
    found += check_restates_cycles(raw)
    found += check_contraindications(raw)
    return sorted(set(found))
