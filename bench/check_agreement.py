"""How often `kb check` agrees with the curated claims' statuses on the four seed articles.

Each curated efficacy, safety or contraindication claim is aligned with the seed sentence that
carries it: the sentence holding its quote, else the sentence of its section (any section when
none matches) sharing the most content words with its statement (at least MIN_OVERLAP of
them); a list item is read with its list's lead-in ("Avoid it if you have: a pacemaker"), as
the check reads it. When the check split that sentence into one claim per contraindication
item or adverse event, the claim is compared with the part its own statement names (found
by the same detectors, kb.detect). Agreement is the share of aligned claims whose sentence
(or part) got the claim's status (overrides included), per topic and overall; the claims no
sentence carries are counted apart.

    python bench/check_agreement.py          # prints the table; exit 0
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb import catalog  # noqa: E402
from kb.detect import adverse_events, build_lexicon, find_items  # noqa: E402
from kb.load import load  # noqa: E402
from kb.textcheck import check_text  # noqa: E402
from kb.textread import decode, read_document  # noqa: E402

SEEDS = Path("/work/shared/seeds")
TOPICS = ("efficacy", "safety", "contraindication")
MIN_OVERLAP = 3
STOP = frozenset(re.findall(r"\w+", """the a an and or of to in for is are be it its this
that with on as by at from dry needling can may you your their they which who what when than
not no more most some any article says"""))


def _words(text: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-z]+", text.casefold()) if w not in STOP}


def align(claims: pd.DataFrame, report: pd.DataFrame) -> pd.DataFrame:
    """(claim_id, sentence_no) for every claim a sentence carries."""
    rows = []
    words = [_words(s) for s in report["read"]]
    leads = (report["read"] != report["sentence"]).to_numpy()
    folded = report["sentence"].str.casefold()
    for claim in claims.itertuples(index=False):
        if claim.quote:
            hit = report[folded.str.contains(claim.quote.casefold(), regex=False)]
            if not hit.empty:
                rows.append((claim.claim_id, int(hit["sentence_no"].iloc[0])))
                continue
        mine = _words(claim.statement)
        same = (report["section"].str.casefold() == claim.section.casefold()).to_numpy()
        candidates = [i for i in range(len(report)) if same[i]] or range(len(report))
        # on a tie a list item (read with its lead-in) carries the claim, not the lead-in
        best = max(candidates, key=lambda i: (len(mine & words[i]), leads[i]), default=None)
        if best is not None and len(mine & words[best]) >= MIN_OVERLAP:
            rows.append((claim.claim_id, int(report["sentence_no"].iloc[best])))
    return pd.DataFrame(rows, columns=["claim_id", "sentence_no"])


def part_status(pairs: pd.DataFrame, claims: pd.DataFrame, report: pd.DataFrame,
                lexicon) -> pd.Series:
    """The status each aligned claim is compared with: its sentence's, or, when the sentence
    was split, that of the one part (item or event) the claim's statement names."""
    statement = pairs["claim_id"].map(claims.set_index("claim_id")["statement"])
    parts = pairs["sentence_no"].map(report.set_index("sentence_no")["parts"])
    status = pairs["sentence_no"].map(report.set_index("sentence_no")["status"])
    chosen = []
    for said, split, whole in zip(statement, parts, status, strict=True):
        named = set(find_items(said, lexicon)) | set(adverse_events(said))
        hits = [p["status"] for p in split if p["part"] in named]
        chosen.append(hits[0] if len(hits) == 1 else whole)
    return pd.Series(chosen, index=pairs.index)


def main() -> int:
    kb = load()
    claims = catalog.table(kb, "claims")
    claims = claims[claims["topic"].isin(TOPICS)]
    results, unaligned, timings = [], 0, []
    lexicon = build_lexicon(kb.conditions, kb.contraindication_items)
    for source in kb.sources.itertuples(index=False):
        path = SEEDS / source.seed_file
        if not path.is_file():
            continue
        started = time.perf_counter()
        report = check_text(read_document(decode(path.read_bytes(), path.name), "text"), kb)
        timings.append((source.source_id, time.perf_counter() - started))
        mine = claims[claims["source_id"] == source.source_id]
        pairs = align(mine, report)
        unaligned += len(mine) - len(pairs)
        pairs = pairs.merge(mine[["claim_id", "topic", "support_status"]], on="claim_id")
        pairs["status"] = part_status(pairs, mine, report, lexicon)
        results.append(pairs.assign(source_id=source.source_id))
    table = pd.concat(results, ignore_index=True)
    table["agrees"] = table["support_status"] == table["status"]
    per_topic = table.groupby("topic")["agrees"].agg(["sum", "count"])
    per_topic.loc["all"] = per_topic.sum()
    per_topic["agreement"] = (per_topic["sum"] / per_topic["count"]).map("{:.0%}".format)
    print(per_topic.rename(columns={"sum": "agree", "count": "claims"}).to_string())
    print(f"claims no sentence carries (not counted): {unaligned}")
    print("check time per seed: " + ", ".join(f"{s} {t:.2f} s" for s, t in timings))
    if "-v" in sys.argv:
        wrong = table[~table["agrees"]]
        print(pd.crosstab(wrong["support_status"], wrong["status"]).to_string())
        print(wrong[["claim_id", "sentence_no", "support_status", "status"]].to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
