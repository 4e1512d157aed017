"""Draft rows for data/ from a new text: `kb draft-source`.

The text goes through the same analysis as `kb check` (kb.textcheck: sections, sentences,
conditions, topic, wording strength, numbers); each sentence becomes a draft claim whose
statement is the sentence itself behind vocab.DRAFT_MARK, for the curator to rewrite in own
words. Cited markers such as `[3]` or `[2, 4-5]` are resolved to the text's reference list:
an entry whose DOI, PMID, address or title is already in references.bib gets that key, any
other entry a draft key (`SOURCE-refN`) and a draft BibTeX entry whose evidence type and
verification are left for the curator. Numbers become assertions rows; what detection could
not say stays empty so that `kb validate --draft DIR` names it. Pure: rows in, rows out; the
CLI writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from kb import vocab
from kb.markers import DOI, known_key, marker_numbers, numbered_entries
from kb.model import KB
from kb.schema import ASSERTIONS, CLAIMS, SOURCE_REFERENCES, SOURCES, Table
from kb.textcheck import detect
from kb.textread import Document


@dataclass(frozen=True)
class Draft:
    """Draft tables (schema file name -> rows) and the draft BibTeX entries (may be '')."""

    tables: dict[str, pd.DataFrame]
    bibtex: str


def _bib_text(value: str) -> str:
    """A value safe inside BibTeX braces."""
    return re.sub(r"[{}\\]", "", value)


def resolve_references(entries: dict[int, str], source_id: str,
                       references: pd.DataFrame) -> tuple[dict[int, str], str]:
    """Each numbered entry's key (known, or a new draft key) and the draft BibTeX entries."""
    keys, bib = {}, []
    for number, entry in entries.items():
        key = known_key(entry, references)
        if not key:
            key = f"{source_id}-ref{number}"
            doi = DOI.search(entry)
            fields = [f"  title = {{{_bib_text(entry)}}}",
                      *([f"  doi = {{{doi.group().rstrip('.')}}}"] if doi else []),
                      "  evidencetype = {}", "  verification = {}",
                      f"  note = {{draft from reference [{number}] of {source_id}; check "
                      "every field}"]
            bib.append(f"@misc{{{key},\n" + ",\n".join(fields) + "\n}\n")
        keys[number] = key
    return keys, "\n".join(bib)


def _frame(table: Table, rows: dict[str, object]) -> pd.DataFrame:
    """A frame with exactly the table's columns, in order (missing ones empty)."""
    frame = pd.DataFrame(rows)
    for name in table.column_names:
        if name not in frame:
            frame[name] = ""
    return frame[table.column_names].fillna("").astype("string")


def draft_source(doc: Document, kb: KB, source: dict[str, str], seed_file: str) -> Draft:
    """Draft rows for one new source. `source` holds source_id, title, publisher and, when
    known, author, date and url (what is not given stays empty for the curator)."""
    source_id = source["source_id"]
    if source_id in set(kb.sources["source_id"]):
        raise ValueError(f"source id {source_id!r} is already in sources.csv; choose another")
    report = detect(doc, kb)  # what the detectors found; a draft needs no status
    entries = numbered_entries(doc.references)
    keys, bibtex = resolve_references(entries, source_id, kb.references)
    cited = report["sentence"].map(marker_numbers) if len(report) else pd.Series(dtype=object)
    unknown_marker = sorted({n for ns in cited for n in ns} - set(keys))
    keys.update({n: f"{source_id}-ref{n}" for n in unknown_marker})  # no entry: left to fill
    claim_ids = [f"{source_id}-{i:03d}" for i in range(1, len(report) + 1)]
    reference_ids = [";".join(keys[n] for n in ns) for ns in cited]
    scope = [vocab.CitationScope.INLINE.value if r else vocab.CitationScope.NONE.value
             for r in reference_ids]
    claims = _frame(CLAIMS, {
        "claim_id": claim_ids, "source_id": source_id,
        "section": report["section"].tolist(),
        "statement": (vocab.DRAFT_MARK + report["sentence"]).tolist(),
        "reference_ids": reference_ids, "citation_scope": scope,
        "condition_ids": report["conditions"].str.join(";").tolist(),
        "topic": report["topic"].tolist(),
        "wording_strength": report["wording_strength"].tolist()})
    numbers = pd.DataFrame({"claim_id": claim_ids, "number": report["number_list"].tolist()}
                           ).explode("number").dropna()
    assertions = _frame(ASSERTIONS, {
        "claim_id": numbers["claim_id"].tolist(),
        **{name: [getattr(n, name) for n in numbers["number"]]
           for name in ("subject", "attribute", "value", "value_min", "value_max", "unit")}})
    used = any(reference_ids)
    listed: dict[str, str] = {}
    for number, key in sorted(keys.items()):
        listed.setdefault(key, str(number))
    source_refs = _frame(SOURCE_REFERENCES, {
        "source_id": source_id, "reference_id": list(listed),
        "marker": [f"[{n}]" for n in listed.values()]})
    style = (vocab.CitationScope.INLINE if used else vocab.CitationScope.ARTICLE if entries
             else vocab.CitationScope.NONE).value
    sources = _frame(SOURCES, {**{k: [v] for k, v in source.items()},
                               "seed_file": [seed_file], "citation_style": [style]})
    tables = {t.file: f for t, f in ((SOURCES, sources), (SOURCE_REFERENCES, source_refs),
                                     (CLAIMS, claims), (ASSERTIONS, assertions))}
    return Draft(tables, bibtex)
