"""The bundled data is true to ../shared: numbers, DOIs and grades as checked; quotes verbatim."""

import re

import pytest
from conftest import SHARED

pytestmark = pytest.mark.skipif(not (SHARED / "references.md").exists(),
                                reason="needs ../shared beside the repo")


def normal(text: str) -> str:
    text = text.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).lower()


@pytest.fixture(scope="module")
def facts() -> str:
    return normal((SHARED / "references.md").read_text())


@pytest.fixture(scope="module")
def seeds(kb) -> dict[str, str]:
    files = kb.sources.set_index("source_id")["seed_file"]
    return {sid: normal((SHARED / "seeds" / name).read_text()) for sid, name in files.items()}


def test_every_doi_and_pmid_is_in_references_md(kb, facts):
    refs = kb.references
    for doi in refs.loc[refs["doi"] != "", "doi"]:
        assert doi.lower() in facts, doi
    for pmid in refs.loc[refs["pmid"] != "", "pmid"]:
        assert pmid in facts, pmid


def test_every_effect_size_is_in_references_md(kb, facts):
    f = kb.findings
    for column in ("effect", "ci_low", "ci_high"):
        for value in f.loc[~f[column].isin(["unknown", "0"]), column]:
            assert value.lower() in facts, (column, value)


def test_graded_certainties_are_the_authors(kb):
    f = kb.findings.set_index("finding_id")
    assert f.loc["liu2018-pain-other-st", "certainty"] == "moderate"
    assert f.loc["gattie2017-pain-sham-st", "certainty"] == "very low to moderate"
    assert f.loc["gattie2017-function-sham", "certainty"] == "very low to low"
    assert f.loc["llurdaalmuzara2021-pain-st", "certainty"] == "low"
    assert set(f.loc[f["reference_id"] == "kietrys2013", "certainty"]) == {"not graded"}


def test_unknowns_stay_unknown(kb):
    refs = kb.references.set_index("reference_id")
    assert refs.loc["kietrys2013", "pmid"] == ""
    assert refs.loc["navarrosantana-shoulder", "year"] == ""
    assert "unknown" in refs.loc["kietrys2013", "note"].lower()


def test_every_evidence_layer_review_has_findings(kb):
    reviews = kb.references[kb.references["evidencetype"].isin(
        ["systematic-review", "umbrella-review", "survey"])]["reference_id"]
    assert set(reviews) <= set(kb.findings["reference_id"])


def test_quotes_are_verbatim_and_short(kb, seeds):
    quoted = kb.claims[kb.claims["quote"] != ""]
    assert len(quoted) > 10
    for source_id, quote in zip(quoted["source_id"], quoted["quote"], strict=True):
        assert len(quote.split()) <= 12
        assert normal(quote).strip('"') in seeds[source_id], quote


def test_statements_are_own_words(kb, seeds):
    for source_id, statement in zip(kb.claims["source_id"], kb.claims["statement"], strict=True):
        words = re.findall(r"[a-z0-9']+", normal(statement))
        seed = " ".join(re.findall(r"[a-z0-9']+", seeds[source_id]))
        runs = (" ".join(words[i:i + 10]) for i in range(len(words) - 9))
        assert not any(run in seed for run in runs), statement


def test_every_article_has_claims_of_every_kind(kb):
    per_source = kb.claims.groupby("source_id")["topic"].agg(lambda t: frozenset(t))
    assert set(per_source.index) == {"verywell", "fizyoart", "jubilant", "nixon"}
    assert {"efficacy", "safety", "procedure"} <= per_source["verywell"]
    assert {"efficacy", "contraindication", "mechanism"} <= per_source["fizyoart"]
    assert 150 <= len(kb.claims) <= 400


def test_numbers_kept_in_structured_assertions(kb):
    a = kb.assertions.merge(kb.claims[["claim_id", "source_id"]], on="claim_id")
    key = a.set_index(["source_id", "subject", "attribute"])
    assert key.loc[[("verywell", "needling", "duration")], "value_max"].tolist() == ["15"]
    assert (a["value"] == "<0.1").any()


def test_journal_citations_match_references_md(kb, facts):
    refs = kb.references[kb.references["journal"] != ""]
    for row in refs.to_dict("records"):
        issue = f"({row['number']})" if row["number"] else ""
        cite = f"{row['year']};{row['volume']}{issue}"
        if row["year"] and row["volume"]:
            assert normal(cite) in facts, (row["reference_id"], cite)
        if row["pages"]:
            assert normal(row["pages"]) in facts, (row["reference_id"], row["pages"])
        assert normal(row["journal"]) in facts, (row["reference_id"], row["journal"])
