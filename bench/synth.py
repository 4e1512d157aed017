"""Deterministic synthetic KB: a complete data directory of any size, in the project's formats.

Proportions follow the issue: one reference per 5 claims, one finding per 10 claims, a few
hundred conditions, about 100 claims per seed article. Vocabularies come from kb.vocab and
kb.schema, so the output validates clean. Every column is generated as a whole array.

    python bench/synth.py --claims 100000 --out /tmp/kb-100k
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from kb import vocab
from kb.schema import BIB_FILE, BY_NAME
from kb.vocab import CERTAINTY_VALUES

PRIMARY = ["systematic-review", "umbrella-review", "survey"]
EVIDENCE_WEIGHTS = {
    "systematic-review": 0.40, "umbrella-review": 0.05, "survey": 0.05,
    "narrative-review": 0.10, "commentary": 0.05, "book": 0.05, "patient-page": 0.10,
    "web-page": 0.10, "government-page": 0.05, "professional-paper": 0.05,
}
ENTRY_TYPE = {kind: "article" for kind in EVIDENCE_WEIGHTS} | {
    "book": "book", "patient-page": "online", "web-page": "online", "government-page": "online"}
CERTAINTY_WEIGHTS = [0.12, 0.14, 0.10, 0.04, 0.06, 0.10, 0.02, 0.08, 0.02, 0.04, 0.14, 0.14]
TIME_WORDING = {"immediate": "post-intervention", "short-term": "4 weeks",
                "long-term": "13-24 weeks", "unknown": "not stated",
                "not-applicable": "per treatment session"}
SUBJECTS = ["needling", "session", "post-treatment soreness", "course", "needle"]
ATTRIBUTES = ["duration", "frequency", "depth", "count", "interval"]
PER_SUBJECT = 100  # assertions per subject: a real KB's subjects grow with it, as topics do


def _ids(prefix: str, n: int) -> pd.Series:
    """`prefix-0000042` style ids, zero-padded to a common width."""
    width = len(str(max(n, 1)))
    return prefix + pd.Series(np.arange(n), dtype="int64").astype("string").str.zfill(width)


def _pick(rng: np.random.Generator, values, n: int, weights=None) -> np.ndarray:
    values = np.asarray(list(values), dtype=object)
    p = None if weights is None else np.asarray(weights, dtype=float) / np.sum(weights)
    return values[rng.choice(len(values), size=n, p=p)]


def _blank_where(values: pd.Series | str, mask) -> pd.Series:
    """Values, or "" where mask is true; a str value is repeated on every row."""
    mask = np.asarray(mask)
    if isinstance(values, str):
        values = pd.Series(values, index=range(len(mask)), dtype="string")
    return values.where(~mask, "")


def _join(parts: list[pd.Series], counts: np.ndarray) -> pd.Series:
    """Join the first counts[i] of parts for each row with `;` (parts hold distinct ids)."""
    out = _blank_where(parts[0], counts < 1)
    for k, part in enumerate(parts[1:], start=2):
        out = out + _blank_where(";" + part, counts < k)
    return out


def _sizes(n_claims: int) -> dict[str, int]:
    n_refs = max(3, n_claims // 5)
    return {
        "claims": n_claims,
        "references": n_refs,
        "findings": max(2, n_claims // 10),
        "conditions": int(np.clip(n_claims // 20, 12, 300)),
        "sources": int(np.clip(n_claims // 100, 1, n_refs)),
    }


def _sources(rng: np.random.Generator, n: int) -> pd.DataFrame:
    ids = _ids("src-", n)
    return pd.DataFrame({
        "source_id": ids,
        "title": "Synthetic patient article " + ids,
        "publisher": "Synthetic Health",
        "author": "unknown",
        "date": "2024-01-" + pd.Series(rng.integers(1, 29, n)).astype("string").str.zfill(2),
        "url": "https://example.org/articles/" + ids,
        "seed_file": ids + ".txt",
        "citation_style": _pick(rng, ["inline", "article"], n),
    })


def _references(rng: np.random.Generator, n: int) -> pd.DataFrame:
    ids = _ids("ref-", n)
    kinds = _pick(rng, EVIDENCE_WEIGHTS, n, list(EVIDENCE_WEIGHTS.values()))
    return pd.DataFrame({"reference_id": ids, "evidencetype": kinds,
                         "year": rng.integers(2000, 2025, n).astype(str)})


def bibtex(refs: pd.DataFrame) -> str:
    """The references as BibTeX text, one entry per row."""
    ids, kinds = refs["reference_id"], refs["evidencetype"]
    entry = kinds.map(ENTRY_TYPE)
    online = entry == "online"
    is_book = entry == "book"
    article = ~(online | is_book)
    num = ids.str.slice(4)
    text = ("@" + entry + "{" + ids + ",\n"
            + "  author       = {Synthetic, Author and others},\n"
            + "  title        = {Synthetic " + kinds + " " + num + "},\n"
            + _blank_where("  journal      = {J Synth Evid},\n", ~article)
            + "  year         = {" + refs["year"] + "},\n"
            + _blank_where("  doi          = {10.5555/synth." + num + "},\n", ~article)
            + _blank_where("  publisher    = {Synthetic Press},\n", ~is_book)
            + _blank_where("  url          = {https://example.org/" + ids + "},\n", ~online)
            + "  evidencetype = {" + kinds + "},\n"
            + "  verification = {inferred},\n"
            + "  note         = {Synthetic record for benchmarking.}\n}\n")
    return "% Synthetic KB: generated by bench/synth.py, not real evidence.\n\n" + "\n".join(text)


def _source_references(rng: np.random.Generator, n_refs: int, n_sources: int,
                       source_ids: pd.Series, ref_ids: pd.Series) -> pd.DataFrame:
    """Every reference cited by one source, a tenth by a second one; sorted by source."""
    first = np.arange(n_refs) % n_sources
    extra = rng.choice(n_refs, size=n_refs // 10, replace=False)
    src = np.concatenate([first, rng.integers(0, n_sources, len(extra))])
    ref = np.concatenate([np.arange(n_refs), extra])
    pairs = pd.DataFrame({"s": src, "r": ref}).drop_duplicates().sort_values(["s", "r"])
    marker = "[" + (pairs.groupby("s").cumcount() + 1).astype("string") + "]"
    return pd.DataFrame({"source_id": source_ids.to_numpy()[pairs["s"].to_numpy()],
                         "reference_id": ref_ids.to_numpy()[pairs["r"].to_numpy()],
                         "marker": marker.to_numpy(), "s": pairs["s"].to_numpy(),
                         "r": pairs["r"].to_numpy()}).reset_index(drop=True)


def _reference_links(rng: np.random.Generator, ref_ids: pd.Series) -> pd.DataFrame:
    """Restates and cites links, always from a later to an earlier reference: no cycles."""
    n = len(ref_ids)
    m = max(1, n // 50)
    src = rng.integers(1, n, m)
    dst = np.floor(rng.random(m) * src).astype(np.int64)
    links = pd.DataFrame({
        "from_id": ref_ids.to_numpy()[src], "to_id": ref_ids.to_numpy()[dst],
        "relation": _pick(rng, ["restates", "cites"], m),
        "verification": _pick(rng, vocab.Verification.values(), m),
        "note": "synthetic link",
    })
    return links.drop_duplicates(["from_id", "to_id"]).reset_index(drop=True)


def _conditions(rng: np.random.Generator, n: int) -> pd.DataFrame:
    ids = _ids("cond-", n)
    idx = np.arange(n)
    parent = np.floor(rng.random(n) * idx).astype(np.int64)
    has_parent = (idx > 0) & (rng.random(n) < 0.3)
    return pd.DataFrame({
        "condition_id": ids,
        "label": "Condition " + ids.str.slice(5),
        "synonyms": "synonym a " + ids + ";synonym b " + ids,
        "body_region": _pick(rng, vocab.BodyRegion.values(), n),
        "parent_id": _blank_where(pd.Series(ids.to_numpy()[parent]), ~has_parent),
        "evidence_note": "",
        "evidence_ids": "",
    })


def _numbers(rng: np.random.Generator, n: int, known: np.ndarray) -> dict[str, pd.Series]:
    effect = np.round(rng.normal(-0.4, 0.4, n), 2)
    half = np.round(rng.uniform(0.05, 0.5, n), 2)

    def text(values: np.ndarray) -> pd.Series:
        return _blank_where(pd.Series(values).astype("string"), ~known).replace("", "unknown")

    return {"effect": text(effect), "ci_low": text(np.round(effect - half, 2)),
            "ci_high": text(np.round(effect + half, 2)),
            "n_studies": text(rng.integers(2, 30, n))}


def _findings(rng: np.random.Generator, n: int, refs: pd.DataFrame,
              condition_ids: pd.Series) -> pd.DataFrame:
    """Findings reported by primary-evidence references; adverse events span conditions."""
    primary = np.flatnonzero(refs["evidencetype"].isin(PRIMARY).to_numpy())
    ref = np.sort(primary[rng.integers(0, len(primary), n)])
    adverse = rng.random(n) < 0.05
    outcome = _pick(rng, ["pain", "function", "ppt"], n)
    outcome[adverse] = "adverse-events"
    window = _pick(rng, ["immediate", "short-term", "long-term", "unknown"], n,
                   [0.3, 0.4, 0.2, 0.1])
    window[adverse] = "not-applicable"
    comparator = _pick(rng, ["sham-or-none", "other-treatment", "unspecified"], n)
    comparator[adverse] = "not-applicable"
    direction = _pick(rng, ["favours-dn", "no-difference", "favours-comparator", "unclear",
                            "unknown"], n, [0.5, 0.25, 0.05, 0.1, 0.1])
    direction[adverse] = "not-applicable"
    measure = _pick(rng, ["SMD", "MD", "unknown"], n)
    measure[adverse] = "percent"
    condition = pd.Series(condition_ids.to_numpy()[rng.integers(0, len(condition_ids), n)])
    return pd.DataFrame({
        "finding_id": _ids("f-", n),
        "reference_id": refs["reference_id"].to_numpy()[ref],
        "condition_id": _blank_where(condition, adverse),
        "intervention": "dry needling",
        "comparator": comparator,
        "comparator_detail": "synthetic comparator",
        "outcome": outcome,
        "outcome_detail": outcome,
        "time_window": window,
        "time_wording": pd.Series(window).map(TIME_WORDING),
        "direction": direction,
        "effect_measure": measure,
        **_numbers(rng, n, measure != "unknown"),
        "certainty": _pick(rng, CERTAINTY_VALUES, n, CERTAINTY_WEIGHTS),
        "certainty_note": "synthetic grade",
        "n_participants": "unknown",
        "certainty_basis": "grade",
        "certainty_tool": "",
        "certainty_wording": "",
        "downgrade_reasons": "",
        "effect_note": "",
        "evidence_tag": "read-abstract",
        "note": "",
        "r": ref,
    })


def _claims(rng: np.random.Generator, n: int, sources: pd.DataFrame, cited: pd.DataFrame,
            condition_ids: pd.Series) -> tuple[pd.DataFrame, np.ndarray]:
    """Claims citing 0-3 references from their own source's list; returns the first cited."""
    n_sources = len(sources)
    src = np.sort(rng.integers(0, n_sources, n))
    offset = np.searchsorted(cited["s"].to_numpy(), np.arange(n_sources))
    count = np.bincount(cited["s"].to_numpy(), minlength=n_sources)
    k = np.minimum(_pick(rng, [0, 1, 2, 3], n, [0.25, 0.35, 0.25, 0.15]).astype(np.int64),
                   count[src])
    start = np.floor(rng.random(n) * count[src]).astype(np.int64)
    rows = [offset[src] + (start + j) % count[src] for j in range(3)]
    refs = [pd.Series(cited["reference_id"].to_numpy()[r]) for r in rows]
    style = sources["citation_style"].to_numpy()[src]
    n_cond = _pick(rng, [0, 1, 2], n, [0.3, 0.55, 0.15]).astype(np.int64)
    c1 = rng.integers(0, len(condition_ids), n)
    c2 = (c1 + 1 + rng.integers(0, len(condition_ids) - 1, n)) % len(condition_ids)
    conds = [pd.Series(condition_ids.to_numpy()[c]) for c in (c1, c2)]
    ids = _ids("c-", n)
    quoted = rng.random(n) < 0.1
    claims = pd.DataFrame({
        "claim_id": ids,
        "source_id": sources["source_id"].to_numpy()[src],
        "section": "Section " + pd.Series(rng.integers(1, 8, n)).astype("string"),
        "statement": "Synthetic statement " + ids.str.slice(2) + ".",
        "quote": _blank_where("dry needling may help", ~quoted),
        "reference_ids": _join(refs, k),
        "citation_scope": np.where(k == 0, "none", style),
        "condition_ids": _join(conds, n_cond),
        "topic": _pick(rng, vocab.Topic.values(), n),
        "wording_strength": _pick(rng, vocab.WordingStrength.values(), n),
    })
    first_ref = np.where(k > 0, cited["r"].to_numpy()[rows[0]], -1)
    return claims, first_ref


def _claim_findings(rng: np.random.Generator, claim_ids: pd.Series, first_ref: np.ndarray,
                    findings: pd.DataFrame, n_refs: int) -> pd.DataFrame:
    """Each claim supported by a finding of its first cited reference, where it has one,
    plus a few contradicting links to arbitrary findings."""
    f_ref = findings["r"].to_numpy()
    offset = np.searchsorted(f_ref, np.arange(n_refs))
    count = np.bincount(f_ref, minlength=n_refs)
    has = (first_ref >= 0)
    has[has] = count[first_ref[has]] > 0
    claim = np.flatnonzero(has & (rng.random(len(claim_ids)) < 0.8))
    ref = first_ref[claim]
    finding = offset[ref] + np.floor(rng.random(len(claim)) * count[ref]).astype(np.int64)
    extra = rng.choice(len(claim_ids), size=len(claim_ids) // 50, replace=False)
    links = pd.DataFrame({
        "claim_id": claim_ids.to_numpy()[np.concatenate([claim, extra])],
        "finding_id": findings["finding_id"].to_numpy()[
            np.concatenate([finding, rng.integers(0, len(findings), len(extra))])],
        "relation": ["supports"] * len(claim) + ["contradicts"] * len(extra),
        "via": "",
        "note": "synthetic link",
    })
    return links.drop_duplicates(["claim_id", "finding_id"]).reset_index(drop=True)


def _subjects(rng: np.random.Generator, m: int) -> pd.Series:
    """One of the base subjects, numbered by topic once the KB outgrows them ("needle 17"), so
    each subject and attribute keeps about PER_SUBJECT / len(ATTRIBUTES) assertions at any size
    (a fixed handful of subjects would make contradictions grow with the square of the KB)."""
    base = pd.Series(_pick(rng, SUBJECTS, m), dtype="string")
    topics = -(-m // (PER_SUBJECT * len(SUBJECTS)))
    if topics == 1:
        return base
    return base + " " + pd.Series(rng.integers(0, topics, m)).astype("string")


def _assertions(rng: np.random.Generator, claim_ids: pd.Series) -> pd.DataFrame:
    m = max(1, len(claim_ids) // 20)
    low = rng.integers(1, 30, m)
    high = low + rng.integers(0, 30, m)
    return pd.DataFrame({
        "claim_id": claim_ids.to_numpy()[rng.choice(len(claim_ids), size=m, replace=False)],
        "subject": _subjects(rng, m),
        "attribute": _pick(rng, ATTRIBUTES, m),
        "value": pd.Series(low).astype("string") + "-" + pd.Series(high).astype("string"),
        "value_min": low,
        "value_max": high,
        "unit": _pick(rng, ["minutes", "mm", "sessions", "days"], m),
    })


def _write(out_dir: Path, name: str, frame: pd.DataFrame) -> None:
    columns = BY_NAME[name].column_names
    frame[columns].to_csv(out_dir / BY_NAME[name].file, index=False, lineterminator="\n")


def write_synthetic(out_dir: Path, n_claims: int, seed: int = 0) -> None:
    """Write a complete, valid data directory with n_claims claims; same seed, same bytes."""
    if n_claims < 1:
        raise ValueError("n_claims must be at least 1")
    rng = np.random.default_rng(seed)
    n = _sizes(n_claims)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = _sources(rng, n["sources"])
    refs = _references(rng, n["references"])
    cited = _source_references(rng, n["references"], n["sources"], sources["source_id"],
                               refs["reference_id"])
    conditions = _conditions(rng, n["conditions"])
    findings = _findings(rng, n["findings"], refs, conditions["condition_id"])
    claims, first_ref = _claims(rng, n_claims, sources, cited, conditions["condition_id"])
    (out_dir / BIB_FILE).write_text(bibtex(refs), encoding="utf-8")
    _write(out_dir, "sources", sources)
    _write(out_dir, "source_references", cited)
    _write(out_dir, "reference_links", _reference_links(rng, refs["reference_id"]))
    _write(out_dir, "conditions", conditions)
    _write(out_dir, "findings", findings)
    _write(out_dir, "claims", claims)
    _write(out_dir, "claim_findings", _claim_findings(rng, claims["claim_id"], first_ref,
                                                      findings, n["references"]))
    _write(out_dir, "assertions", _assertions(rng, claims["claim_id"]))


def parse_size(text: str) -> int:
    """'1k', '100k', '1M' or '2500' to a number of claims."""
    text = text.strip()
    factor = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic KB data directory.")
    parser.add_argument("--claims", type=parse_size, required=True, help="e.g. 1000, 100k, 1M")
    parser.add_argument("--out", type=Path, required=True, help="directory to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    write_synthetic(args.out, args.claims, args.seed)
    print(f"wrote {args.claims:,} claims to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
