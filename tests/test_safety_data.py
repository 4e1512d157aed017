"""The safety layer is true to ../shared/references.md (version 2) and to the seed articles.

safety_figures.csv: every number as printed, both Boyce denominators, Brady's upper bound, the
unit of a survey's percentages. contraindications.csv: each source's own classification, as in
references.md's Contraindications table, never merged into one list.
"""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import ROOT, SHARED

from kb.load import check
from kb.read import read_data

pytestmark = pytest.mark.skipif(not (SHARED / "references.md").exists(),
                                reason="needs ../shared beside the repo")

NUMERIC = ("numerator", "denominator", "percent", "percent_max", "per_n")
NUMBER_WORDS = {"0": ("zero", "no"), "1": ("one",), "2": ("two",)}
PHYSIOPEDIA_LIST = "physioman-contraindications"
ADDED = ("gattie2020survey", "trybulski2024", "tolbert2025", "valeracalero2024",
         "scoping2025adverse", "jmmt2023scoping", "halle2016", "patel2019", "irmedj2022",
         "cureus2021", "mintken2025", "evms-double-edged-sword", "nzhdc-15hdc00947", "hqca2014",
         PHYSIOPEDIA_LIST, "ephysioneeds", "dutch-dn-clinic", "goldfields-physio-hub",
         "boyce2020", "brady2014")


def normal(text: str) -> str:
    """As tests/test_data.py: unicode minus and dashes to '-', curly quotes straight, spaces."""
    text = text.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).lower()


def printed(value: str) -> str:
    """A stored number as references.md prints it: integers with thousands separators."""
    return f"{int(value):,}" if value.isdigit() else value


def has_number(text: str, number: str) -> bool:
    """The number as a whole token: 0.1 is not found inside 20.1 or 0.15."""
    return re.search(r"(?<![\d.,])" + re.escape(number) + r"(?![\d]|[.,]\d)", text) is not None


@pytest.fixture(scope="module")
def facts() -> str:
    return normal((SHARED / "references.md").read_text())


@pytest.fixture(scope="module")
def raw():
    return read_data(ROOT / "data")


@pytest.fixture(scope="module")
def figures(raw):
    return raw.tables["safety_figures"].frame


@pytest.fixture(scope="module")
def ci(raw):
    return raw.tables["contraindications"].frame


@pytest.fixture(scope="module")
def seeds(raw) -> dict[str, str]:
    files = raw.tables["sources"].frame.set_index("source_id")["seed_file"]
    return {sid: normal((SHARED / "seeds" / name).read_text()) for sid, name in files.items()}


def test_safety_tables_are_there_and_validate(raw, figures, ci):
    assert not raw.tables["safety_figures"].problems
    assert len(figures) >= 40 and len(ci) >= 60
    assert len(raw.tables["contraindication_items"].frame) >= 20
    assert check(ROOT / "data") == []


# --- safety_figures.csv -------------------------------------------------------------------

def test_every_number_is_printed_in_references_md(figures, facts):
    """Each number appears in references.md, and in the row's own wording or note."""
    for row in figures.to_dict("records"):
        own = normal(row["wording"] + " " + row["note"])
        for column in NUMERIC:
            value = row[column]
            if not value:
                continue
            if column == "numerator" and value == "1" and row["design"] == "case-report":
                continue  # one case report, one case
            if any(re.search(rf"\b{w}\b", own) for w in NUMBER_WORDS.get(value, ())):
                continue  # printed in words: "zero", "No significant AEs", "every two"
            number = printed(value)
            assert has_number(facts, number), (row["figure_id"], column, number)
            assert has_number(own, number), (row["figure_id"], column, number)


def test_wording_is_verbatim_and_short(figures, facts):
    for figure_id, wording in zip(figures["figure_id"], figures["wording"], strict=True):
        assert len(wording.split()) <= 12, figure_id
        assert normal(wording) in facts, (figure_id, wording)


def test_boyce_keeps_both_denominators(figures):
    boyce = figures[figures["reference_id"] == "boyce2020"].set_index("figure_id")
    for figure in ("minor", "major"):
        rows = boyce.loc[[f"boyce2020-{figure}-methods", f"boyce2020-{figure}-results"]]
        assert set(rows["denominator"]) == {"20464", "20494"}, figure
        assert set(rows["numerator"]) == {"7531" if figure == "minor" else "20"}
    major = boyce.loc["boyce2020-major-results"]
    assert (major["percent"], major["bound"], major["per_n"]) == ("0.1", "less-than", "1024")
    assert "matches neither" in major["note"]
    assert boyce.loc["boyce2020-minor-results", "percent"] == "36.7"
    events = dict(zip(boyce["event"], boyce["percent"], strict=False))
    assert (events["bleeding"], events["bruising"], events["pain during"]) == ("16", "7.7", "5.9")


def test_brady_upper_bound_is_marked_as_one(figures):
    brady = figures[figures["reference_id"] == "brady2014"].set_index("figure_id")
    significant = brady.loc["brady2014-significant"]
    assert (significant["numerator"], significant["denominator"]) == ("0", "7629")
    assert (significant["percent"], significant["bound"]) == ("0.04", "at-most")
    assert "upper bound with none observed" in significant["note"].lower()
    mild = brady.loc["brady2014-mild"]
    assert (mild["numerator"], mild["percent"]) == ("1463", "19.18")
    assert len(brady) == 16  # mild, significant and 14 listed events


def test_trybulski_percentages_are_of_respondents(figures):
    tryb = figures[figures["reference_id"] == "trybulski2024"]
    assert len(tryb) == 8
    assert set(tryb["denominator_unit"]) == {"respondents"}
    assert tryb["note"].str.contains("not a percent of treatments").all()


def test_other_stated_figures(figures):
    f = figures.set_index("figure_id")
    gattie = f.loc["gattie2020survey-minor"]
    assert (gattie["percent"], gattie["denominator_unit"]) == ("39.6", "treatments")
    assert "SD 31.5" in gattie["wording"] and "estimate" in gattie["note"]
    halle = f.loc["halle2016-incidence"]
    assert (halle["percent"], halle["percent_max"], halle["bound"]) == ("0", "10", "range")
    scoping = f.loc["scoping2025adverse-minor"]
    assert (scoping["percent"], scoping["bound"]) == ("50", "up-to")
    neck = f[f["reference_id"] == "navarrosantana2020neck"]
    assert sorted(neck["percent"], key=float) == ["55", "88", "91"]
    assert set(neck["design"]) == {"trial-table"} and set(neck["denominator_unit"]) == {"patients"}
    assert "Mejuto-Vázquez 2014" in f.loc["navarrosantana2020neck-soreness-88", "wording"]


def test_case_reports_have_no_denominator(figures):
    cases = figures[figures["design"] == "case-report"]
    assert set(cases["reference_id"]) == {"patel2019", "irmedj2022", "cureus2021", "mintken2025",
                                          "evms-double-edged-sword", "nzhdc-15hdc00947",
                                          "hqca2014"}
    assert (cases["denominator"] == "").all() and (cases["percent"] == "").all()
    assert set(cases["numerator"]) == {"1", ""}
    assert cases.loc[cases["reference_id"] == "hqca2014", "numerator"].tolist() == [""]


def test_no_one_in_n_is_derived(figures):
    """per_n only where a '1 per N' (or 'one ... every N') is printed in the row's wording."""
    for row in figures[figures["per_n"] != ""].to_dict("records"):
        wording = normal(row["wording"])
        assert f"1 per {printed(row['per_n'])}" in wording or "every two" in wording, row


# --- references.bib -----------------------------------------------------------------------

def test_added_references_ids_are_in_references_md(raw, facts):
    refs = raw.references.frame.set_index("reference_id")
    assert set(ADDED) <= set(refs.index)
    for key in ADDED:
        for field in ("doi", "pmid", "pmcid"):
            value = refs.loc[key, field]
            if value:
                assert value.lower() in facts, (key, field, value)
    assert refs.loc["boyce2020", "pmid"] == "32089962" and refs.loc["boyce2020", "doi"] == ""
    assert "20,464" in refs.loc["boyce2020", "note"] and "20,494" in refs.loc["boyce2020", "note"]
    assert refs.loc["brady2014", "doi"] == "10.1179/2042618613Y.0000000044"


def test_unknowns_stay_unknown(raw):
    refs = raw.references.frame.set_index("reference_id")
    assert refs.loc["scoping2025adverse", "author"] == ""
    assert refs.loc["jmmt2023scoping", "author"] == ""
    assert refs.loc["cureus2021", "title"] == "" and "Title unknown" in refs.loc["cureus2021",
                                                                                 "note"]
    assert refs.loc["tolbert2025", "volume"] == ""
    for key in ADDED:
        assert "unknown" in refs.loc[key, "note"].lower(), key


def test_unverified_fatalities_claim_is_not_used(raw, figures):
    notes = " ".join(raw.references.frame["note"]).lower()
    assert "fatalit" not in notes
    assert not figures["event"].str.contains("death|fatal").any()


# --- contraindications.csv ----------------------------------------------------------------

LISTS = ("absolute contraindications list", "relative contraindications list")
# references.md, "## Contraindications": item -> (Physiopedia-derived, seed 001 credited to
# Physiopedia, e-physioneeds blog, Dutch DN clinic); None = "—", not in the part read: no row.
EXPECTED = {
    "local-infection": ("not-listed", "absolute", "absolute", "case-by-case"),
    "needle-phobia": ("absolute", "absolute", "absolute", None),
    "lymphoedema": ("absolute", "absolute", None, "absolute"),
    "pregnancy": ("relative", "relative", "relative", "absolute"),
    "bleeding-anticoagulants": ("relative", "relative", "absolute", "case-by-case"),
    "malignancy": (None, None, "absolute", "case-by-case"),
    "diabetes": ("relative", "relative", "relative", None),
    "compromised-immunity": ("relative", "relative", "relative", None),
    "allergy": ("relative", "relative", None, "case-by-case"),
    "new-heart-valve": (None, None, None, "absolute"),
}


def classes(ci, item: str, reference_id: str = "", source_id: str = "",
            passages: tuple[str, ...] | None = None) -> set[str]:
    rows = ci[(ci["item_id"] == item) & (ci["reference_id"] == reference_id)
              & (ci["source_id"] == source_id)]
    if passages is not None:
        rows = rows[rows["passage"].isin(passages)]
    return set(rows["classification"])


@pytest.mark.parametrize("item", sorted(EXPECTED))
def test_classifications_match_references_md_table(ci, item):
    physiopedia, seed001, blog, dutch = EXPECTED[item]

    def one(value):
        return set() if value is None else {value}

    assert classes(ci, item, reference_id=PHYSIOPEDIA_LIST) == one(physiopedia)
    assert classes(ci, item, source_id="fizyoart", passages=LISTS) == one(seed001)
    assert classes(ci, item, reference_id="ephysioneeds") == one(blog)
    assert classes(ci, item, reference_id="dutch-dn-clinic") == one(dutch)


def test_local_infection_sources_disagree(ci):
    assert "absolute" not in classes(ci, "local-infection", reference_id=PHYSIOPEDIA_LIST)
    assert classes(ci, "local-infection", reference_id=PHYSIOPEDIA_LIST) == {"not-listed"}
    assert classes(ci, "local-infection", source_id="fizyoart", passages=LISTS) == {"absolute"}
    credited = ci[(ci["source_id"] == "fizyoart") & (ci["passage"].isin(LISTS))]["credited_to"]
    assert set(credited) == {"physiopedia"}


def test_full_physiopedia_derived_lists(ci):
    rows = ci[ci["reference_id"] == PHYSIOPEDIA_LIST]
    by_class = {c: set(g) for c, g in rows.groupby("classification")["item_id"]}
    assert by_class["absolute"] == {"needle-phobia", "unwilling", "unable-to-consent",
                                    "medical-emergency", "lymphoedema", "inappropriate-any"}
    assert by_class["relative"] == {"bleeding-anticoagulants", "compromised-immunity",
                                    "vascular-disease", "diabetes", "pregnancy", "children",
                                    "frail-patients", "epilepsy", "psychological-status",
                                    "allergy", "medication", "unsuitable-any"}
    assert set(rows["evidence_tag"]) == {"read-secondary"}


def test_seed_001_needle_phobia_absolute_in_list_consult_in_summary(ci):
    assert classes(ci, "needle-phobia", source_id="fizyoart", passages=LISTS) == {"absolute"}
    faq = classes(ci, "needle-phobia", source_id="fizyoart",
                  passages=("FAQ: consult a physician first",))
    assert faq == {"consult-physician"}


def test_dutch_never_is_absolute_with_its_wording(ci):
    dutch = ci[ci["reference_id"] == "dutch-dn-clinic"]
    absolute = dutch[dutch["classification"] == "absolute"]
    assert set(absolute["item_id"]) == {"lymphoedema", "pregnancy", "new-heart-valve"}
    assert absolute["wording"].str.startswith("never").all()
    assert (dutch.loc[dutch["classification"] == "case-by-case", "wording"]
            == "case by case").all()


def test_seed_articles_own_classifications(ci):
    jubilant = ci[ci["source_id"] == "jubilant"]
    assert set(jubilant["classification"]) == {"avoid-or-caution"}
    assert {"bleeding-anticoagulants", "pacemaker-implant", "needle-phobia", "local-infection",
            "compromised-immunity", "pregnancy"} <= set(jubilant["item_id"])
    verywell = ci[ci["source_id"] == "verywell"].set_index("item_id")["classification"]
    assert verywell.to_dict() == {"pregnancy": "not-suitable", "unable-to-understand":
                                  "not-suitable", "needle-phobia": "not-suitable",
                                  "recent-surgery": "consult-physician",
                                  "bleeding-anticoagulants": "consult-physician"}
    assert ci[ci["source_id"] == "nixon"].empty  # Nixon states no contraindication


def test_contraindication_wording_is_verbatim(ci, facts, seeds):
    for row in ci.to_dict("records"):
        text = seeds[row["source_id"]] if row["source_id"] else facts
        assert len(row["wording"].split()) <= 12, row
        assert normal(row["wording"]) in text, (row["item_id"], row["wording"])
    assert set(ci.loc[ci["source_id"] != "", "evidence_tag"]) == {"seed"}


def test_exactly_one_of_reference_and_source(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "contraindications.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(f"{PHYSIOPEDIA_LIST},,", f"{PHYSIOPEDIA_LIST},fizyoart,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [str(p) for p in check(data)] == [
        "contraindications.csv:2:source_id set exactly one of reference_id and source_id"]
