"""Validation: every problem in data/, each located as `file:line:field message`.

Checks are vectorised masks over whole columns; Problem objects are made only for failing rows.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kb import vocab
from kb.columns import EMPTY, arrow, isin, list_cells, list_items, matches, pair_codes, to_mask
from kb.parse import Parsed
from kb.problems import EXCERPT, Problem
from kb.read import RawData
from kb.schema import BIB_FILE, BY_NAME, DIGIT, NUMBER, TABLES, Column, Table

# Classes spelt out (no \s, \d) so pyarrow's RE2 runs them, with Python's meaning of space.
SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
DOI_PATTERN = rf"10\.{DIGIT}{{4,9}}/[^{SPACE}]+"
URL_PATTERN = rf"https?://[^{SPACE}]+"
SPACED_ITEM = rf"[{SPACE}];|;[{SPACE}]|^[{SPACE}]|[{SPACE}]$"
TRAILING_COMMA = r",[ ~\t\r\n]*(?:$|[aA][nN][dD][ \t\r\n])"  # bibtexparser's name separators
NAME_SPACE = " \t\r\n"  # the white space around bibtexparser's name-separating 'and'
NAME_SEPARATOR = f"[{NAME_SPACE}]+[aA][nN][dD][{NAME_SPACE}]+"
MAX_QUOTE_WORDS = 12
ISO_DATE = rf"{DIGIT}{{4}}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]{DIGIT}|3[01]))?)?"
BIB_PATTERNS = (
    ("doi", DOI_PATTERN,
     " is not a bare DOI such as 10.2519/jospt.2017.7096 (no spaces, no prefix)"),
    ("url", URL_PATTERN, " is not an http or https address"),
    ("year", DIGIT + "{4}", " is not a year"),
    ("date", ISO_DATE, " is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("urldate", ISO_DATE, " is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
)
BIB_KEY = r"[A-Za-z0-9][A-Za-z0-9_:.-]*"
BIB_TYPES = ("article", "book", "booklet", "collection", "inbook", "incollection",
             "inproceedings", "manual", "mastersthesis", "misc", "online", "phdthesis",
             "proceedings", "report", "techreport", "thesis", "unpublished")
COUNT = DIGIT + "+"
UNKNOWN = pa.scalar("unknown")  # what a numeric cell holds when the number is not known
# Whitespace and the invisible characters a "filled" value may not consist of only.
INVISIBLE = ("\t\n\x0b\x0c\r \x85\xa0\xad\u034f\u115f\u1160\u1680\u180e"
             "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
             "\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d"
             "\u202e\u202f\u205f\u2060\u2061\u2062\u2063\u2064\u3000\u3164\ufeff"
             "\uffa0")


Messages = str | Callable[[pd.Series], pd.Series]


def _report(parsed: Parsed, file: str, field: str, mask: pd.Series,
            messages: Messages) -> list[Problem]:
    """Problems for the rows where mask is true; messages is a str, or a function from the
    mask to the failing rows' messages (so a message is built only for a failing row)."""
    if not mask.any():
        return []
    lines = parsed.lines[np.asarray(mask, dtype=bool)].tolist()
    texts = [messages] * len(lines) if isinstance(messages, str) else messages(mask).tolist()
    return [Problem(file, line, field, text) for line, text in zip(lines, texts, strict=True)]


def _about(values: pd.Series, after: str, before: str = "") -> Callable[[pd.Series], pd.Series]:
    """Messages naming each failing row's value: before + 'value' + after."""
    return lambda mask: before + _quoted(values[mask]) + after


# Column checks run in pyarrow.compute and give numpy masks: a pandas operation costs about
# ten times as much per call, which is what a small KB's validation is made of. A column is
# turned into Arrow once (`Cells`), and a refinement that only matters for failing cells (is an
# empty cell blank or invisible? is a cell outside the vocabulary blank?) runs only when some
# cell failed.
Cells = pd.Series | pa.Array | pa.ChunkedArray


def _filled(series: Cells) -> np.ndarray:
    """Cells with something visible in them (not only spaces or zero-width characters)."""
    return to_mask(pc.not_equal(pc.utf8_trim(arrow(series), INVISIBLE), EMPTY))


def _nonblank(series: Cells) -> np.ndarray:
    """Cells with something other than white space in them (str.strip's notion)."""
    return to_mask(pc.not_equal(pc.utf8_trim_whitespace(arrow(series)), EMPTY))


def _fullmatch(series: Cells, pattern: str) -> np.ndarray:
    return matches(series, f"^(?:{pattern})$")


def _mismatch(values: Cells, pattern: str, filled: np.ndarray | None = None) -> np.ndarray:
    """Filled cells that do not fully match the pattern (`filled`: the cells' _filled, when
    the caller has it)."""
    filled = _filled(values) if filled is None else filled
    return filled & ~_fullmatch(values, pattern)


@functools.cache
def _value_set(allowed: tuple[str, ...]) -> pa.Array:
    return pa.array(allowed, pa.string())


def _outside(values: Cells, allowed, is_list: bool) -> np.ndarray:
    """Rows with a (list) item, not blank, that is not in `allowed` (values or a Series)."""
    known = (pc.drop_null(arrow(allowed)) if isinstance(allowed, pd.Series)
             else _value_set(tuple(allowed)))
    if not is_list:
        outside = ~to_mask(pc.is_in(arrow(values), value_set=known))
        return outside & _nonblank(values) if outside.any() else outside
    items, rows = list_cells(values)
    bad = np.zeros(len(values), dtype=bool)
    bad[rows[~to_mask(pc.is_in(items, value_set=known))]] = True
    return bad


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
    cells = arrow(values)
    filled = _filled(cells)
    found = []
    if column.required and not filled.all():
        invisible = ~filled & _nonblank(cells)
        found += _report(parsed, table.file, column.name, ~filled & ~invisible,
                         "required value is empty")
        found += _report(parsed, table.file, column.name, invisible,
                         "required value holds only invisible characters")
    if column.pattern:
        found += _report(parsed, table.file, column.name,
                         _mismatch(cells, column.pattern, filled),
                         _about(values, f" does not match {column.pattern}"))
    if column.vocab:
        bad = _outside(cells, column.vocab, column.is_list)
        allowed = ", ".join(column.vocab[:12]) + (" ..." if len(column.vocab) > 12 else "")
        found += _report(parsed, table.file, column.name, bad,
                         _about(values, f" is not one of: {allowed}"))
    if column.is_list:
        spaced = filled & matches(cells, SPACED_ITEM)
        found += _report(parsed, table.file, column.name, spaced, _about(
            values, " has spaces around a ';'; separate list items with ';' alone"))
    if column.numeric:
        whole = column.kind == "integer"
        bad = filled & ~_fullmatch(cells, COUNT if whole else NUMBER)
        if bad.any():
            bad &= to_mask(pc.not_equal(cells, UNKNOWN))
        found += _report(parsed, table.file, column.name, bad, _about(values, (
            " is not a whole number of 0 or more (or 'unknown')" if whole
            else " is not a number (or 'unknown')")))
    return found


def check_keys(parsed: Parsed, file: str, key: list[str], field: str) -> list[Problem]:
    """Duplicate keys, and single keys that differ only by case or Unicode form."""
    frame = parsed.frame
    if len(key) == 1:
        ids = arrow(frame[key[0]])
        if pc.count_distinct(ids, mode="all").as_py() == len(ids) and _fullmatch(
                ids, "[a-z0-9_-]*").all():
            return []  # no two alike, and none that could clash once normalised
    duplicate = (frame[key[0]].duplicated(keep="first") if len(key) == 1
                 else frame.duplicated(key, keep="first"))
    found = _report(parsed, file, field, duplicate, lambda rows: "duplicate id " + _quoted(
        frame.loc[rows, key].astype("string").agg("/".join, axis=1)))
    if len(key) == 1:
        ids = frame[key[0]]
        special = ~_fullmatch(ids, "[a-z0-9_-]*")  # only these can clash once normalised
        if special.any():
            normal = ids.mask(special, ids[special].map(
                lambda s: unicodedata.normalize("NFKC", s).casefold()))
            clash = normal.duplicated(keep="first") & ~duplicate
            found += _report(parsed, file, field, clash, _about(
                ids, " differs from another id only by case or Unicode normalisation", "id "))
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
    if not _outside(values, targets, column.is_list).any():
        return []
    items = list_items(values) if column.is_list else values
    missing = (items.str.strip() != "") & ~isin(items, targets)
    names = items[missing].groupby(level=0).agg(", ".join)
    mask = pd.Series(False, index=values.index)
    mask[names.index] = True
    noun = target_table.rstrip("s").replace("_", " ")
    return _report(parsed, table.file, column.name, mask,
                   _about(names.reindex(values.index).fillna(""), "", f"unknown {noun} id "))


def _cites_references(column: Column) -> bool:
    return column.foreign is not None and column.foreign[0] == "references"


def check_table(raw: RawData, table: Table) -> list[Problem]:
    """Column checks, keys and the links to other CSV tables (check_reference_ids checks
    the links to references.bib)."""
    parsed = _clean_table(raw, table.name)
    if parsed is None:
        return []
    found = []
    for column in table.columns:
        found += check_column(parsed, table, column)
        if column.foreign and not _cites_references(column):
            found += check_foreign(raw, table, column)
    return found + check_keys(parsed, table.file, list(table.key), table.key[-1])


def check_tables(raw: RawData) -> list[Problem]:
    """What reading the CSV tables found, and check_table of each."""
    found = [p for parsed in raw.tables.values() for p in parsed.problems]
    return found + [p for table in TABLES for p in check_table(raw, table)]


def check_reference_ids(raw: RawData) -> list[Problem]:
    """Every reference id a CSV table names is a key of references.bib."""
    return [p for table in TABLES if _clean_table(raw, table.name) is not None
            for column in filter(_cites_references, table.columns)
            for p in check_foreign(raw, table, column)]


def check_references(raw: RawData) -> list[Problem]:
    """BibTeX entries: what parsing found, vocabularies, DOIs, URL schemes and key clashes."""
    parsed = raw.references
    frame = parsed.frame
    if frame.empty:
        return list(parsed.problems)
    found = parsed.problems + check_keys(parsed, BIB_FILE, ["reference_id"], "key")
    keys = frame["reference_id"]
    found += _report(parsed, BIB_FILE, "key", ~keys.str.fullmatch(BIB_KEY).fillna(False),
                     _about(keys, " is not a usable key: letters, digits and _ : . - only, "
                            "starting with a letter or digit"))
    types = frame["entry_type"]
    found += _report(parsed, BIB_FILE, "entry_type", ~isin(types, BIB_TYPES),
                     lambda rows: "entry type '@" + _short(types[rows]) + "' is not one of: "
                     + ", ".join(BIB_TYPES))
    for name, allowed in (("evidencetype", vocab.EvidenceType.values()),
                          ("verification", vocab.Verification.values())):
        bad = ~isin(frame[name], allowed)
        found += _report(parsed, BIB_FILE, name, bad,
                         _about(frame[name], " is not one of: " + ", ".join(allowed)))
    found += check_authors(parsed)
    for name, pattern, message in BIB_PATTERNS:
        found += _report(parsed, BIB_FILE, name, _mismatch(frame[name], pattern),
                         _about(frame[name], message))
    return found


def _name_problem(author: str) -> str:
    """Why an author list cannot be split into names, or '' when it can."""
    from bibtexparser.middlewares.names import (
        InvalidNameError,
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    try:
        for name in split_multiple_persons_names(author):
            parse_single_name_into_parts(name)
    except InvalidNameError as err:
        reason = str(err).rpartition("into parts: ")[2].strip() or "unreadable name"
        return reason[0].lower() + reason[1:]
    return ""


def _crowded(authors: pd.Series) -> np.ndarray:
    """Lists with a name of three or more commas, split where bibtexparser splits names
    (an 'and' between white space; braces, which protect an 'and', are doubtful anyway)."""
    names = pc.split_pattern_regex(pc.utf8_trim(arrow(authors), NAME_SPACE), NAME_SEPARATOR)
    commas = pc.count_substring(pc.list_flatten(names), ",").to_numpy(zero_copy_only=False)
    rows = pc.list_parent_indices(names).to_numpy(zero_copy_only=False)
    crowded = np.zeros(len(authors), dtype=bool)
    crowded[rows[commas > 2]] = True
    return crowded


def check_authors(parsed: Parsed) -> list[Problem]:
    """Every author list splits into names (the RIS and CSL exports split it).

    Without braces or backslashes a name fails only with three commas or a trailing one, so a
    list whose names have at most two commas each and no comma before its end or an 'and' is
    sound; the others go through bibtexparser's splitter, once per distinct list."""
    authors = parsed.frame["author"]
    doubtful = _filled(authors) & (matches(authors, r"[{}\\]") | _crowded(authors)
                                   | matches(authors, TRAILING_COMMA))
    if not doubtful.any():
        return []
    distinct = authors[doubtful].unique()
    reasons = authors[doubtful].map(dict(zip(distinct, map(_name_problem, distinct),
                                             strict=True)))
    bad = (reasons != "").reindex(authors.index, fill_value=False)
    return _report(parsed, BIB_FILE, "author", bad, lambda rows: _quoted(authors[rows]) +
                   " cannot be split into names (" + reasons[rows[doubtful]].astype("string") +
                   "); write 'Family, Given and Family, Given'")


def _clean_table(raw: RawData, name: str) -> Parsed | None:
    """A table that parsed without problems and has rows, for the cross-field checks."""
    parsed = raw.tables[name]
    return None if parsed.problems or parsed.frame.empty else parsed


def check_claims(raw: RawData) -> list[Problem]:
    """Claim rules the schema cannot express: quote length, citation scope, cited by article."""
    parsed = _clean_table(raw, "claims")
    if parsed is None:
        return []
    frame = parsed.frame
    file = BY_NAME["claims"].file
    quotes = arrow(frame["quote"])
    words = pc.count_substring_regex(quotes, f"[^{SPACE}]+")  # what str.split() splits
    found = _report(parsed, file, "quote", to_mask(pc.greater(words, MAX_QUOTE_WORDS)),
                    f"quote has more than {MAX_QUOTE_WORDS} words; paraphrase in the statement")
    found += _report(parsed, file, "statement", to_mask(pc.starts_with(
                         arrow(frame["statement"]), vocab.DRAFT_MARK.strip())),
                     "draft: still the article's own sentence; rewrite it in your own words "
                     "and remove the draft mark")
    has_refs = _filled(frame["reference_ids"])
    scope_none = to_mask(pc.equal(arrow(frame["citation_scope"]), str(vocab.CitationScope.NONE)))
    found += _report(parsed, file, "citation_scope", has_refs == scope_none,
                     "citation_scope 'none' goes with empty reference_ids, and only with them")
    return found + _orphan_citations(parsed, raw.tables["source_references"].frame)


def _orphan_citations(parsed: Parsed, cited: pd.DataFrame) -> list[Problem]:
    """Claims citing a reference their article's reference list does not have; pairs are
    matched on integer codes, and named only when one is missing."""
    frame = parsed.frame
    refs, rows = list_cells(frame["reference_ids"])
    sources = arrow(frame["source_id"]).take(pa.array(rows))
    citing, listed = pair_codes((sources, refs),
                                (arrow(cited["source_id"]), arrow(cited["reference_id"])))
    orphan = ~np.isin(citing, listed) & to_mask(pc.not_equal(sources, EMPTY))
    if not orphan.any():
        return []
    bad = pd.Series(refs.filter(pa.array(orphan)).to_pylist(), index=rows[orphan],
                    dtype="string")
    names = bad.groupby(level=0).agg(", ".join)
    mask = pd.Series(np.isin(np.arange(len(frame)), names.index), index=frame.index)
    return _report(parsed, BY_NAME["claims"].file, "reference_ids", mask,
                   _about(names.set_axis(frame.index[names.index]).reindex(frame.index)
                          .fillna(""),
                          " not in the article's reference list (source_references.csv)"))


def check_assertions(raw: RawData) -> list[Problem]:
    parsed = _clean_table(raw, "assertions")
    if parsed is None:
        return []
    frame = parsed.frame
    low = pd.to_numeric(frame["value_min"], errors="coerce")
    high = pd.to_numeric(frame["value_max"], errors="coerce")
    numeric = low.notna() | high.notna()
    found = _report(parsed, BY_NAME["assertions"].file, "value_min", low > high,
                    "value_min is greater than value_max")
    return found + _report(parsed, BY_NAME["assertions"].file, "unit",
                           numeric & ~_filled(frame["unit"]), "a numeric value needs a unit")


def check_findings(raw: RawData) -> list[Problem]:
    """A confidence interval runs low to high, and holds its own point estimate."""
    parsed = _clean_table(raw, "findings")
    if parsed is None:
        return []
    frame = parsed.frame
    file = BY_NAME["findings"].file
    effect, low, high = (pd.to_numeric(frame[c].where(frame[c].str.fullmatch(NUMBER)
                                                      .fillna(False)), errors="coerce")
                         for c in ("effect", "ci_low", "ci_high"))
    reversed_ci = (low > high).fillna(False)
    found = _report(parsed, file, "ci_low", reversed_ci, "ci_low is greater than ci_high")
    outside = ~reversed_ci & ((effect < low) | (effect > high)).fillna(False)
    return found + _report(parsed, file, "effect", outside,
                           lambda rows: "effect " + _short(frame.loc[rows, "effect"]) +
                           " lies outside its confidence interval " +
                           _short(frame.loc[rows, "ci_low"]) + " to " +
                           _short(frame.loc[rows, "ci_high"]))


def _cycles(frame: pd.DataFrame, node: str, target: str) -> list[tuple[int, str]]:
    """Each cycle of the node -> target links, as (row of its first link, "a -> b -> a"),
    starting at its smallest id. The standard library's topological sort looks first, so
    networkx, which names every cycle, is imported only when there is one."""
    from graphlib import CycleError, TopologicalSorter

    pairs = list(zip(frame[node], frame[target], strict=True))
    sorter = TopologicalSorter()
    for a, b in pairs:
        sorter.add(a, b)
    try:
        sorter.prepare()
        return []
    except CycleError:
        pass
    import networkx as nx

    found = []
    for found_cycle in nx.simple_cycles(nx.DiGraph(pairs)):
        start = found_cycle.index(min(found_cycle))
        cycle = found_cycle[start:] + found_cycle[:start]
        found.append((frame.index[frame[node] == cycle[0]][0],
                      " -> ".join([*cycle, cycle[0]])))
    return found


def check_parent_cycles(raw: RawData) -> list[Problem]:
    """A condition is not its own parent, and parent links form no cycle."""
    parsed = _clean_table(raw, "conditions")
    if parsed is None:
        return []
    frame = parsed.frame
    file = BY_NAME["conditions"].file
    own = frame["parent_id"] == frame["condition_id"]
    found = _report(parsed, file, "parent_id", own.fillna(False), "condition is its own parent")
    linked = frame[_filled(frame["parent_id"]) & ~own.fillna(False)]
    return found + [Problem(file, int(parsed.lines[row]), "parent_id",
                            f"parent links form a cycle: {path}")
                    for row, path in _cycles(linked, "condition_id", "parent_id")]


def check_restates_cycles(raw: RawData) -> list[Problem]:
    """Restates links must form no cycle."""
    parsed = raw.tables["reference_links"]
    frame = parsed.frame
    restates = frame[frame["relation"] == vocab.ReferenceRelation.RESTATES]
    return [Problem(BY_NAME["reference_links"].file, int(parsed.lines[row]), "to_id",
                    f"restates links form a cycle: {path}")
            for row, path in _cycles(restates, "from_id", "to_id")]


def check_contraindications(raw: RawData) -> list[Problem]:
    """A classification comes from exactly one source: a reference or a seed article."""
    parsed = _clean_table(raw, "contraindications")
    if parsed is None:
        return []
    frame = parsed.frame
    both = _filled(frame["reference_id"]) == _filled(frame["source_id"])
    return _report(parsed, BY_NAME["contraindications"].file, "source_id", both,
                   "set exactly one of reference_id and source_id")


# Every check, in the order validate runs them: those of the CSV tables first, then those
# that read references.bib, so a large .bib is still parsing on the other cores meanwhile.
VALIDATORS: tuple[Callable[[RawData], list[Problem]], ...] = (
    check_tables, check_claims, check_assertions, check_findings, check_parent_cycles,
    check_restates_cycles, check_contraindications, check_reference_ids, check_references)


def validate(raw: RawData) -> list[Problem]:
    """Every problem in the data, sorted by file and line."""
    return sorted({p for check in VALIDATORS for p in check(raw)})
