"""Findings in words (kb.summary)."""

from __future__ import annotations

from kb.summary import finding_facts


def test_finding_facts_say_the_finding_in_words(kb):
    facts = finding_facts(kb, ["liu2018-pain-other-st", "boyce2020-major-ae"])
    liu = facts.loc["liu2018-pain-other-st"]
    assert liu["measured"].startswith("Low back pain: pain (pain intensity) vs ")
    assert liu["effect"] == ("SMD \u22121.06 (\u22121.77 to \u22120.36): a large reduction "
                             "with dry needling")
    assert liu["plain"].startswith("Dry needling probably reduces pain")
    assert (liu["certainty"], liu["basis"]) == ("moderate", "authors-wording")
    boyce = facts.loc["boyce2020-major-ae"]
    assert boyce["plain"] == "" and "20 major adverse events" in boyce["measured"]
