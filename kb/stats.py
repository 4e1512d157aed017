"""Headline counts of a KB."""

from __future__ import annotations

from kb import catalog, vocab
from kb.model import KB


def stats(kb: KB) -> dict[str, dict[str, int]]:
    """Counts per catalog table, claims by article, topic, certainty and support status, the
    share of each topic's claims that nothing could assess, and findings by certainty basis."""
    claims = kb.claims
    status = catalog.table(kb, "claims")["support_status"]
    unassessed = (status == vocab.SupportStatus.NOT_ASSESSABLE).groupby(claims["topic"]).mean()
    return {
        "tables": {t.ident: t.count(kb) for t in catalog.TABLES if t.stats},
        "claims by article": claims["source_id"].value_counts().sort_index().to_dict(),
        "claims by topic": claims["topic"].value_counts().sort_index().to_dict(),
        "claims by certainty": claims["certainty"].value_counts().sort_index().to_dict(),
        "claims by support status": status.value_counts().sort_index().to_dict(),
        "not assessable, % of the topic's claims": (unassessed * 100).round().astype(int)
        .sort_index().to_dict(),
        "findings by certainty": kb.findings["certainty"].value_counts().sort_index().to_dict(),
        "findings by certainty basis": kb.findings["certainty_basis"].value_counts().sort_index()
        .to_dict(),
    }


def format_stats(counts: dict[str, dict[str, int]]) -> str:
    """Plain-text report of stats()."""
    blocks = []
    for title, values in counts.items():
        width = max(len(k) for k in values) if values else 0
        rows = "\n".join(f"  {k:<{width}}  {v:>6}" for k, v in values.items())
        blocks.append(f"{title}\n{rows}")
    return "\n\n".join(blocks)
