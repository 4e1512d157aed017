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


def grade_table_numbers(facts: str) -> str:
    """references.md's GRADE-table phrasing as signed numbers: '0.24 lower' -> '-0.24'."""
    lower = re.findall(r"(\d+(?:\.\d+)?) lower", facts)
    higher = re.findall(r"(\d+(?:\.\d+)?) higher", facts)
    return " ".join([f"-{n}" for n in lower] + higher)


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
    known = facts + " " + grade_table_numbers(facts)
    for column in ("effect", "ci_low", "ci_high"):
        for value in f.loc[~f[column].isin(["unknown", "0"]), column]:
            assert value.lower() in known, (column, value)


def test_graded_certainties_are_the_authors(kb):
    f = kb.findings.set_index("finding_id")
    assert f.loc["liu2018-pain-other-st", "certainty"] == "moderate"
    assert f.loc["gattie2017-pain-sham-st", "certainty"] == "very low to moderate"
    # the authors say "Low-quality evidence"; the PEDro summary (read-secondary) is a lead only
    assert f.loc["gattie2017-function-sham", "certainty"] == "low"
    assert f.loc["llurdaalmuzara2021-pain-st", "certainty"] == "low"
    assert set(f.loc[f["reference_id"] == "kietrys2013", "certainty"]) == {"not graded"}


def test_unknowns_stay_unknown(kb):
    refs = kb.references.set_index("reference_id")
    assert refs.loc["kietrys2013", "pmid"] == ""
    # version 2 gives the shoulder review as Phys Ther 2021;101(2):pzaa216 (version 1: no year)
    assert refs.loc["navarrosantana-shoulder", "year"] == "2021"
    assert refs.loc["navarrosantana2020elbow", "doi"] == ""
    assert refs.loc["liu2015", "pmid"] == "" and refs.loc["liu2015", "number"] == ""
    assert refs.loc["yu2023", "title"] == ""
    assert "title unknown" in refs.loc["yu2023", "note"].lower()
    assert refs.loc["furlan2005", "pmid"] == ""  # PMID 15834340 is the Spine version's
    assert "unknown" in refs.loc["kietrys2013", "note"].lower()


def test_every_evidence_layer_review_has_findings(kb):
    reviews = kb.references[kb.references["evidencetype"].isin(
        ["systematic-review", "umbrella-review", "survey"])]["reference_id"]
    # a review references.md lists under "conditions with no usable review" (Mutlu 2023) is
    # named in conditions.csv evidence_ids instead
    no_usable = set(";".join(kb.conditions["evidence_ids"]).split(";")) - {""}
    assert set(reviews) - no_usable <= set(kb.findings["reference_id"])
    assert not no_usable & set(kb.findings["reference_id"])


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
    assert key.loc[[("verywell", "dry needling session", "duration")],
                   "value_max"].tolist() == ["15"]
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


# --- Evidence layer, version 2 ---------------------------------------------------------------

# references.md's Basis column, per review, as certainty_basis (and the tool for other-tool).
EXPECTED_BASIS = {
    "gattie2017": ("grade", ""),
    "kietrys2013": ("other-tool", "MacDermid"),
    "liu2018": ("authors-wording", ""),
    "hu2018": ("authors-wording", ""),
    "yu2023": ("grade-unclear", ""),
    "furlan2005": ("other-tool", "levels of evidence"),
    "navarrosantana2020neck": ("grade", ""),
    "fernandezdelaspenas2021neck": ("grade", ""),
    "hernandezsecorun2023": ("other-tool", "RoB 2"),
    "navarrosantana2022": ("grade", ""),
    "liu2015": ("not-stated", ""),
    "navarrosantana-shoulder": ("grade", ""),
    "rahouelbachiri2020": ("grade", ""),
    "jimenezdelbarrio2022": ("grade", ""),
    "llurdaalmuzara2021": ("grade", ""),
    "pourahmadi2021": ("grade-unclear", ""),
    "vier2019": ("grade-unclear", ""),
    "navarrosantana2020elbow": ("grade", ""),
    "jayaseelan2022": ("grade-unclear", ""),
    "giorgi2022": ("other-tool", "level B"),
    "nuhmani2023": ("not-stated", ""),
    "sanchezinfante2021": ("not-stated", ""),
    "chys2023": ("other-tool", "AMSTAR-2"),
    "rodriguezmansilla2016": ("not-stated", ""),
    "valeracalero2022": ("unknown", ""),
    "sarmientohernandez2020": ("not-stated", ""),
    "fernandezdelaspenas2021stroke": ("grade", ""),
    "nunezcortes2020": ("grade", ""),
    "boyce2020": ("not-stated", ""),  # adverse-event surveys: no certainty
    "brady2014": ("not-stated", ""),
}
GRADE_REVIEWS = {ref for ref, (basis, _) in EXPECTED_BASIS.items() if basis == "grade"}
SINGLE_STUDIES = {"sterling2015", "perreault2021", "sedighimehr2024", "temel2023", "mutlu2023",
                  "solanki-cts", "phncyprus2022"}
GRADE_WORDS = {"high", "moderate", "low", "very low"}


def is_level(certainty: str) -> bool:
    return certainty in GRADE_WORDS or (
        " to " in certainty and set(certainty.split(" to ")) <= GRADE_WORDS)


def test_every_evidence_layer_review_is_in_the_bibliography(kb):
    keys = set(kb.references["reference_id"])
    assert set(EXPECTED_BASIS) | SINGLE_STUDIES <= keys
    assert set(kb.findings["reference_id"]) <= set(EXPECTED_BASIS)


def test_every_title_and_pmcid_is_in_references_md(kb, facts):
    refs = kb.references
    for title in refs.loc[refs["title"] != "", "title"]:
        assert normal(title) in facts, title
    for pmcid in refs.loc[refs["pmcid"] != "", "pmcid"]:
        assert pmcid.lower() in facts, pmcid


def test_full_author_lists_where_references_md_gives_them(kb):
    authors = kb.references.set_index("reference_id")["author"]
    assert authors["kietrys2013"].count(" and ") == 6 and "Kietrys, D. M." in authors["kietrys2013"]
    assert "others" not in authors["liu2018"] and "Zhao, J. M." in authors["liu2018"]
    assert authors["yu2023"].endswith("others")  # references.md: "Yu H, et al."


def test_every_n_participants_is_in_references_md(kb, facts):
    f = kb.findings[kb.findings["n_participants"] != "unknown"]
    assert len(f) >= 10
    for row in f.to_dict("records"):
        n = row["n_participants"]
        split = re.search(r"(\d+) / (\d+)", row["note"])
        if split:  # a printed DN / comparison split, summed
            assert normal(split.group(0)) in facts, row["finding_id"]
            assert int(split.group(1)) + int(split.group(2)) == int(n), row["finding_id"]
        else:
            assert re.search(rf"(?<![\d.]){n}(?![\d.])", facts), (row["finding_id"], n)


def test_certainty_wording_and_downgrades_are_verbatim(kb, facts):
    f = kb.findings
    for wording in f.loc[f["certainty_wording"] != "", "certainty_wording"]:
        assert normal(wording) in facts, wording
    for reasons in f.loc[f["downgrade_reasons"] != "", "downgrade_reasons"]:
        for reason in reasons.split(";"):
            assert normal(reason) in facts, reason


def test_every_finding_has_its_reviews_basis(kb):
    for row in kb.findings.to_dict("records"):
        basis, tool = EXPECTED_BASIS[row["reference_id"]]
        assert row["certainty_basis"] == basis, row["finding_id"]
        assert row["certainty_tool"] == tool, row["finding_id"]


def test_grade_levels_only_where_references_md_says_grade(kb):
    f = kb.findings
    graded = f[f["certainty_basis"] == "grade"]
    assert set(graded["reference_id"]) <= GRADE_REVIEWS
    levels = f[f["certainty"].map(is_level)]
    other = levels[levels["certainty_basis"] != "grade"]
    # a level word with another basis: the authors' or another tool's word, never GRADE's
    assert set(other["certainty_basis"]) <= {"authors-wording", "grade-unclear", "other-tool"}
    assert set(other["reference_id"]) == {"liu2018", "yu2023", "pourahmadi2021", "vier2019",
                                          "jayaseelan2022", "giorgi2022"}
    # no level at all where the review stated none
    none = f[f["certainty_basis"].isin(["not-stated", "unknown"])]
    assert not none["certainty"].map(is_level).any()


def test_liu2018_moderate_is_the_authors_wording(kb):
    f = kb.findings.set_index("finding_id")
    row = f.loc["liu2018-pain-other-st"]
    assert (row["certainty"], row["certainty_basis"]) == ("moderate", "authors-wording")
    assert row["certainty_wording"] == "Moderate evidence"
    assert row["comparator"] == "sham-or-active"  # its "other treatments" include sham DN
    combined = f.loc["liu2018-pain-combined-st"]
    assert (combined["comparator"], combined["effect"]) == ("add-on", "0.83")


def test_vier2019_keeps_both_wordings(kb):
    vier = kb.findings[kb.findings["reference_id"] == "vier2019"]
    rated = vier[vier["certainty_wording"] != ""]
    assert len(rated) == 2
    for wording in rated["certainty_wording"]:
        assert "very low-quality evidence" in wording and "low quality of evidence" in wording
    assert set(rated["certainty"]) == {"very low to low"}
    assert set(vier["certainty_basis"]) == {"grade-unclear"}


def test_jimenezdelbarrio2022_is_very_low_grade(kb):
    jdb = kb.findings[kb.findings["reference_id"] == "jimenezdelbarrio2022"]
    assert set(jdb["certainty_basis"]) == {"grade"}
    assert set(jdb["condition_id"]) == {"hip-or-knee-osteoarthritis"}
    numbered = jdb[jdb["effect"] != "unknown"]
    assert len(numbered) == 4 and set(numbered["certainty"]) == {"very low"}
    assert set(jdb["certainty"]) <= {"very low", "unknown"}
    pain = jdb.set_index("finding_id").loc["jimenezdelbarrio2022-pain-st"]
    assert pain["n_participants"] == "246" and "131 / 115" in pain["note"]
    assert pain["downgrade_reasons"] == "risk of bias;inconsistency;imprecision"


def test_sign_conventions_are_kept(kb):
    f = kb.findings.set_index("finding_id")
    assert f.loc["liu2015-pain-wet-st", "effect"] == "1.69"
    assert f.loc["liu2015-pain-wet-st", "direction"] == "favours-comparator"
    assert "positive smd favours the comparator" in f.loc["liu2015-pain-other-st",
                                                          "effect_note"].lower()
    injection = f.loc["navarrosantana2022-pain-st"]
    assert injection["effect"] == "-2.13" and injection["direction"] == "favours-comparator"
    assert "negative favours injection" in injection["effect_note"]
    assert set(f.loc[f["reference_id"] == "pourahmadi2021", "effect_measure"]) == {"dppc2"}
    assert set(f.loc[f["reference_id"] == "rodriguezmansilla2016", "effect_measure"]) == {"d"}
    assert f.loc["rodriguezmansilla2016-pain-placebo-imm", "direction"] == "no-difference"


def test_pooled_comparators_are_not_split(kb):
    f = kb.findings
    gattie = f[(f["reference_id"] == "gattie2017") & f["outcome"].isin(["pain", "ppt"])
               & f["time_window"].isin(["immediate", "short-term"])]
    assert len(gattie) == 4 and set(gattie["comparator"]) == {"sham-or-active"}
    for ref in ("sanchezinfante2021", "navarrosantana-shoulder", "rahouelbachiri2020",
                "llurdaalmuzara2021", "navarrosantana2020elbow", "jimenezdelbarrio2022",
                "fernandezdelaspenas2021stroke"):
        assert set(f.loc[f["reference_id"] == ref, "comparator"]) == {"sham-or-active"}, ref
    neck = f.set_index("finding_id")
    assert neck.loc["navarrosantana2020neck-pain-manual-st", "effect"] == "-0.51"
    assert set(f.loc[f["reference_id"] == "fernandezdelaspenas2021neck", "comparator"]) == {
        "add-on"}


def test_unknown_certainty_stays_unknown(kb):
    f = kb.findings.set_index("finding_id")
    assert set(f.loc[f["reference_id"] == "navarrosantana2020neck", "certainty"]) == {"unknown"}
    assert f.loc["navarrosantana-shoulder-function-st", "time_window"] == "unknown"
    assert f.loc["chys2023-pain-sham-st", "n_studies"] == "unknown"  # 36 reviews, not studies


def test_other_tool_findings_name_the_tool(kb):
    f = kb.findings
    assert (f["certainty_tool"] != "").equals(f["certainty_basis"] == "other-tool")


def test_conditions_without_a_usable_review_say_what_was_found(kb):
    c = kb.conditions.set_index("condition_id")
    assert "sterling2015" in c.loc["whiplash", "evidence_note"]
    assert c.loc["whiplash", "evidence_ids"] == "sterling2015"
    assert not set(c.index[c["evidence_ids"] != ""]) & set(kb.findings["condition_id"])
    refs = kb.references.set_index("reference_id")
    for ids in c.loc[c["evidence_ids"] != "", "evidence_ids"]:
        for ref in ids.split(";"):
            assert ref in c.loc[c["evidence_ids"].str.contains(ref, regex=False),
                                "evidence_note"].iloc[0]
            assert ref in refs.index
    assert c.loc["hip-osteoarthritis", "parent_id"] == "hip-or-knee-osteoarthritis"
    assert c.loc["knee-osteoarthritis", "parent_id"] == "hip-or-knee-osteoarthritis"
