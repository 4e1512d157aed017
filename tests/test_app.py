"""AppTest runs of every page against the bundled data (and a broken data dir)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from conftest import codes_in_text, label_codes, raw_codes
from streamlit.testing.v1 import AppTest

from kb import vocab
from kb.markdown import escape

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 30


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """Each test sees an empty st.cache_data and the bundled data unless it says otherwise."""
    monkeypatch.delenv("KB_DATA_DIR", raising=False)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _page(module: str) -> None:
    import importlib

    importlib.import_module(f"kb.ui.{module}").render()


def page(module: str, **params: str) -> AppTest:
    """One page run on its own, with the given URL query parameters."""
    at = AppTest.from_function(_page, args=(module,), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def assert_in_words(at: AppTest) -> None:
    """No displayed dataframe shows a snake_case header or a raw vocabulary code in a cell."""
    codes = raw_codes()
    assert at.dataframe
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        shown = [c for c in frame.value.columns if not config.get(c, {}).get("hidden")]
        headers = [config.get(c, {}).get("label") or c for c in shown]
        assert not [h for h in headers if "_" in h], headers
        items = frame.value[shown].astype(str).stack().str.split(r"\s*[;,]\s*").explode()
        assert not set(items) & codes, set(items) & codes


def test_app_lands_on_explorer_with_disclaimer():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Conditions explorer"
    assert "Evidence information, not medical advice." in [c.value for c in at.caption]


@pytest.mark.parametrize("module", ["explorer", "evidence_map", "card", "safety", "claims",
                                    "graph", "check", "disagree", "impact"])
def test_every_page_renders_with_disclaimer(module):
    at = page(module)
    assert not at.exception, at.exception
    assert "Evidence information, not medical advice." in [c.value for c in at.caption]


def test_min_certainty_moderate_shrinks_graded_table():
    at = page("explorer")
    before = len(at.dataframe[0].value)
    at.selectbox(key="ex_certainty").set_value("moderate").run()
    after = at.dataframe[0].value
    assert len(after) < before
    assert "temporomandibular-disorders" not in set(after["condition_id"])
    assert f"Graded evidence: {len(after)} conditions" in subheaders(at)
    assert at.query_params["certainty"] == "moderate"


def test_low_back_pain_is_moderate_in_short_term():
    at = page("explorer", certainty="moderate", window="short-term")
    table = at.dataframe[0].value.set_index("condition_id")
    assert table.loc["low-back-pain", "certainty_short_term"] == (
        "moderate (authors' wording, not GRADE)")
    assert "plantar-heel-pain" not in table.index  # moderate only in the long term


def _lower_bound(cell: str) -> int:
    """A window cell's certainty ('low to moderate (GRADE use not shown)') at its lower end;
    0 for the no-support mark."""
    from kb.grading import RANGE_BOUNDS

    return RANGE_BOUNDS.get(cell.split(" (")[0], (0, 0))[0]


def test_per_window_columns_match_the_window_filter():
    """Each row shows its certainty in every window under the window's own header and hover
    definition; what a window filter keeps is what that window's column shows."""
    at = page("explorer")
    everything = at.dataframe[0].value.set_index("condition_id")
    heel = everything.loc["plantar-heel-pain"]
    assert (heel["certainty_immediate"], heel["certainty_short_term"],
            heel["certainty_long_term"]) == ("—", "low", "moderate")
    config = json.loads(at.dataframe[0].proto.columns)
    for window, column in {"immediate": "certainty_immediate",
                           "short-term": "certainty_short_term",
                           "long-term": "certainty_long_term"}.items():
        assert config[column]["label"] == vocab.TIME_WINDOW_LABEL[window].capitalize()
        assert vocab.TIME_WINDOW_MEANING[window] in config[column]["help"]
        assert vocab.CERTAINTY_MEANING["very low"] in config[column]["help"]  # every grade
    assert not {"best_certainty", "time_windows"} & set(everything.columns)
    for window, column in (("short-term", "certainty_short_term"),
                           ("long-term", "certainty_long_term")):
        at = page("explorer", certainty="moderate", window=window)
        kept = at.dataframe[0].value.set_index("condition_id")
        assert len(kept)
        assert all(_lower_bound(c) >= 3 for c in kept[column]), kept[column]
        reaching = {cid for cid, cell in everything[column].items() if _lower_bound(cell) >= 3}
        assert set(kept.index) == reaching, window
    assert "plantar-heel-pain" in reaching  # long term only


def test_ranges_count_at_lower_bound_unless_optimistic():
    at = page("explorer", certainty="moderate")
    assert "musculoskeletal-pain" not in set(at.dataframe[0].value["condition_id"])
    at.toggle(key="ex_optimistic").set_value(True).run()
    assert "musculoskeletal-pain" in set(at.dataframe[0].value["condition_id"])
    assert at.query_params["optimistic"] == "1"


def test_grade_only_toggle_drops_levels_on_another_basis():
    at = page("explorer", certainty="moderate")
    assert "low-back-pain" in set(at.dataframe[0].value["condition_id"])
    at.toggle(key="ex_grade").set_value(True).run()
    assert "low-back-pain" not in set(at.dataframe[0].value["condition_id"])
    assert at.query_params["grade"] == "1"


def test_three_groups_each_with_card_links():
    """Graded; evidence whose certainty is not stated (neck pain, headache); listed as a
    possible use only: three tables under their headings, every row linking to its card."""
    at = page("explorer")
    heads = subheaders(at)
    assert [h.split(":")[0] for h in heads] == [
        "Graded evidence", "Evidence exists, but its certainty is not stated",
        "Listed as a possible use only"]
    graded, unstated, possible = (frame.value for frame in at.dataframe)
    ids = [set(frame["condition_id"]) for frame in (graded, unstated, possible)]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    assert {"neck-pain", "headache"} <= ids[1]
    assert "carpal-tunnel-syndrome" in ids[2] and "low-back-pain" in ids[0]
    for frame in (graded, unstated, possible):
        assert (frame["card"] == "condition?condition=" + frame["condition_id"]).all()
    assert heads[2] == f"Listed as a possible use only: {len(possible)} conditions"
    assert_in_words(at)


def test_evidence_filters_leave_the_ungraded_groups_out_unless_searched():
    at = page("explorer", certainty="moderate", window="short-term")
    assert len(at.dataframe) == 1
    assert any("without graded evidence not listed" in c.value for c in at.caption)
    at = page("explorer", certainty="moderate", q="neck")
    assert "Graded evidence: 0 conditions" in subheaders(at)
    assert "neck-pain" in set(at.dataframe[-1].value["condition_id"])


def test_region_text_and_source_filters():
    at = page("explorer", region="back")
    assert set(at.dataframe[0].value["condition_id"]) == {"low-back-pain"}
    at = page("explorer", q="heel")
    assert set(at.dataframe[0].value["condition_id"]) == {"plantar-heel-pain"}
    at = page("explorer", outcome="function", comparator="sham-or-none")
    assert "Graded evidence: 0 conditions" in subheaders(at)
    assert "No graded condition matches these filters." in [m.value for m in at.markdown]
    assert not at.dataframe  # no empty table, and no ungraded group under these filters


def test_invalid_params_warn_and_fall_back():
    at = page("explorer", certainty="superb", window="forever,short-term")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "superb" in warnings and "forever" in warnings
    assert at.selectbox(key="ex_certainty").value is None
    assert at.multiselect(key="ex_window").value == ["short-term"]


def test_hostile_params_are_inert():
    at = page("explorer", q="[x](javascript:alert(1))", source="[y](javascript:alert(2))")
    assert not at.exception
    assert "](javascript" not in " ".join(w.value for w in at.warning)


def test_evidence_map_follows_filters():
    all_cells = _map_rows(page("evidence_map"))
    at = page("evidence_map", certainty="moderate", window="short-term")
    cells = _map_rows(at)
    assert len(cells) < len(all_cells)
    assert set(cells["Time"]) == {"short term"}  # in words, under a clinician's header
    assert len(at.get("plotly_chart")) == 1


def test_evidence_map_figure_has_size_legend_words_and_clickable_cells(kb):
    """The map's bubbles: windows in words, a legend for bubble size beside the certainty
    legend, and each point naming its condition and window for the click-through."""
    from kb import catalog
    from kb.cube import evidence_map
    from kb.ui import charts

    frame = evidence_map(catalog.cube(kb))
    fig = charts.evidence_map(frame)
    groups = {t.legendgrouptitle.text for t in fig.data}
    assert groups == {"Best certainty", "Bubble size"}
    points = [t for t in fig.data if t.legendgroup == "certainty"]
    assert {x for t in points for x in t.x} <= {"immediate", "short term", "long term"}
    cells = {(c[3], c[4]) for t in points for c in t.customdata}
    assert cells == set(zip(frame["condition_id"], frame["time_window"], strict=True))


def _map_rows(at: AppTest):
    return at.dataframe[0].value


def test_condition_card_low_back_pain():
    at = page("card", condition="low-back-pain")
    assert at.header[0].value == "Low back pain"
    line = at.info[0].value
    assert "moderate" in line and "Liu 2018" in line
    assert "Summary of findings" in subheaders(at)
    text = " ".join(m.value for m in at.markdown)
    assert "Liu 2018" in text and "21 studies" in text and escape("authors' wording") in text
    # the forest plot, one per effect measure (SMD and MD are not put on one axis)
    assert len(at.get("plotly_chart")) == 2
    assert "https://doi.org/" in text


def test_condition_card_clinician_view_shows_the_sof_table():
    at = page("card", condition="low-back-pain", detail="1")
    text = " ".join(m.value for m in at.markdown)
    assert "| " + escape("Effect (95% CI)") + " |" in text and "Participants" in text
    assert escape("SMD \u22121.06 (\u22121.77 to \u22120.36): a large reduction") in text


def test_neck_pain_and_headache_say_evidence_exists_without_a_level():
    for condition in ("neck-pain", "headache"):
        at = page("card", condition=condition)
        text = " ".join(m.value for m in at.markdown)
        assert escape("Evidence exists, but its certainty is not stated") in text
        assert "not graded" not in text


def test_safety_page_rows_matrix_and_claims():
    at = page("safety")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert escape("7,531 of 20,494 or 20,464 treatments (36.7%)") in text
    assert "Case reports of serious events" in text
    matrix = at.dataframe[0].value
    assert list(matrix.columns[:2]) == ["Contraindication", "Sources agree?"]
    assert "sources disagree" in set(matrix["Sources agree?"])


def test_card_unknown_condition_warns():
    at = page("card", condition="no-such-thing")
    assert not at.exception
    assert any(escape("no-such-thing") in w.value for w in at.warning)
    assert at.header[0].value == "Low back pain"


def test_claims_browser_filters():
    at = page("claims")
    total = len(at.dataframe[0].value)
    at = page("claims", article="fizyoart", topic="safety", ids="1")
    shown = at.dataframe[0].value
    assert 0 < len(shown) < total
    assert set(shown["source_id"]) == {"fizyoart"} and set(shown["topic"]) == {"safety"}
    assert set(shown["article"]) == {"FizyoArt"}
    at = page("claims", ref="liu2018", ids="1")
    assert all("liu2018" in r.split(";") for r in at.dataframe[0].value["reference_ids"])
    assert all("Liu 2018" in r.split(", ") for r in at.dataframe[0].value["references"])


def test_claims_pages_speak_words_and_hide_what_cannot_be_assessed():
    for module, prefix in (("claims", "cl"), ("check", "ck")):
        at = page(module)
        assert_in_words(at)
        table = at.dataframe[0].value
        assert list(table.columns[:2]) == ["support_status", "statement"]  # status on screen
        assert vocab.STATUS_LABEL["not assessable"] not in set(table["support_status"])
        at.toggle(key=f"{prefix}_unassessable").set_value(True).run()
        every = at.dataframe[0].value
        assert vocab.STATUS_LABEL["not assessable"] in set(every["support_status"])
        assert len(every) > len(table)
        assert_in_words(at)


def test_claims_browser_shows_selected_claim(kb):
    at = page("claims", claim="fa-012")
    statement = kb.claims.set_index("claim_id").loc["fa-012", "statement"]
    text = " ".join(m.value for m in at.markdown)
    assert escape(statement) in text
    picker = at.selectbox(key="cl_claim")
    assert picker.value == "fa-012"
    assert any(o.startswith(statement[:40]) for o in picker.options)  # picked by statement
    assert not [o for o in picker.options if "fa-0" in o]  # no bare ids
    assert "fa\\-012" not in text  # the id only with "Show ids"


def test_claims_check_filters_by_status():
    at = page("check")
    total = len(at.dataframe[0].value)
    at.multiselect(key="ck_status").set_value(["overstated"]).run()
    shown = at.dataframe[0].value
    assert 0 < len(shown) < total
    assert set(shown["support_status"]) == {vocab.STATUS_LABEL["overstated"]}
    assert shown["status_rationale"].str.len().gt(0).all()


def test_graph_focus_on_neighbourhood():
    at = page("graph", node="claim:fa-087", radius="1", ids="1")
    nodes = at.dataframe[0].value
    assert "claim:fa-087" in set(nodes["Node id"])
    assert set(nodes["Kind"]) >= {vocab.NODE_KIND_LABEL["article"],
                                  vocab.NODE_KIND_LABEL["finding"]}
    assert "Node id" not in page("graph").dataframe[0].value  # ids only when asked for


def test_validation_report_instead_of_traceback(monkeypatch, bad_case):
    monkeypatch.setenv("KB_DATA_DIR", str(bad_case("vocab_typo")))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "did not validate" in at.error[0].value
    report = at.dataframe[0].value
    assert list(report.columns) == ["file", "line", "field", "message"] and len(report)


def test_claim_shows_evidence_trail():
    at = page("claims", claim="fa-012")
    assert not at.code  # cards, not an ASCII tree
    assert any("The trail ends here" in c.value for c in at.caption)


def test_where_sources_disagree_lists_contradictions():
    at = page("disagree")
    frame = at.dataframe[0].value
    assert len(frame) > 0
    assert f"{len(frame)} contradictions" in subheaders(at)
    assert_in_words(at)
    levels = frame[frame["attribute"] == vocab.CONTRAINDICATION_ATTRIBUTE]
    assert vocab.CONTRAINDICATION_LABEL["not-suitable"] in set(levels["value_b"])
    assert set(frame["evidence_favours"]) <= {*frame["source_a"], *frame["source_b"],
                                              "no evidence decides"}


def test_reference_impact_and_load_bearing():
    at = page("impact", ref="liu2018")
    assert at.selectbox(key="im_ref").value == "liu2018"
    assert any("claims would lose support" in s for s in subheaders(at))
    assert "Load-bearing references" in subheaders(at)
    at = page("impact", ref="not-a-ref")
    assert any(escape("not-a-ref") in w.value for w in at.warning)


def test_condition_card_offers_the_slide_deck():
    at = page("card", condition="neck-pain")
    buttons = at.get("download_button")
    assert any("slides" in b.proto.label.lower() for b in buttons)


def test_each_explorer_row_links_to_its_card():
    table = page("explorer").dataframe[0].value.set_index("condition_id")
    assert table.loc["low-back-pain", "card"] == "condition?condition=low-back-pain"


def _links(at: AppTest) -> list[tuple[str, str, str]]:
    return [(p.proto.page, p.proto.query_string, p.proto.label) for p in at.get("page_link")]


def test_explorer_opens_cards_one_way_only_and_speaks_words():
    for at in (AppTest.from_file(APP, default_timeout=TIMEOUT).run(), page("explorer")):
        assert not _links(at)  # the row's link is the one way to a card
        assert [s.label for s in at.selectbox] == ["Minimum certainty"]
        table = at.dataframe[0].value.set_index("condition_id")
        assert table.loc["low-back-pain", "card"] == "condition?condition=low-back-pain"
        assert list(at.dataframe[0].proto.column_order[:2]) == ["label", "card"]  # no scroll
    at = page("explorer")
    assert_in_words(at)
    table = at.dataframe[0].value.set_index("condition_id")
    assert table.loc["plantar-heel-pain", "body_region"] == vocab.BODY_REGION_LABEL["lower-limb"]
    codes = raw_codes()
    for widget in at.multiselect:  # the filters offer words too
        assert not set(widget.proto.options) & codes, widget.label


def test_claims_link_to_the_impact_of_their_reference():
    at = page("claims", ref="liu2018")
    assert _links(at) == [("reference-impact", "ref=liu2018",
                           "Impact if Liu 2018 were withdrawn")]


def test_app_registers_every_page_with_its_path_and_title():
    from kb.ui import links

    AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    pages = links.registered()
    assert list(pages) == list(links.PAGE_MODULES)
    for spec in links.PAGES:
        assert pages[spec.name].title == spec.title
        assert pages[spec.name].url_path == ("" if spec.default else spec.url_path)


PAGE_MODULES = ["explorer", "evidence_map", "card", "safety", "claims", "graph", "check",
                "disagree", "impact"]


@pytest.mark.parametrize("kind", ["missing", "file"])
@pytest.mark.parametrize("module", PAGE_MODULES)
def test_bad_data_dir_is_a_message_on_every_page(monkeypatch, tmp_path, module, kind):
    target = tmp_path / "data"
    if kind == "file":
        target.write_text("")
    monkeypatch.setenv("KB_DATA_DIR", str(target))
    at = page(module)
    assert not at.exception, at.exception
    reason = "no such directory" if kind == "missing" else "not a directory"
    assert [e.value for e in at.error] == [
        "The app cannot start: " + escape(f"KB_DATA_DIR='{target}': {reason}; point it at a "
                                          "data directory (or unset it for the bundled data)")]


def test_bad_max_file_mb_is_a_message_in_the_app(monkeypatch):
    monkeypatch.setenv("KB_MAX_FILE_MB", "0.5")
    at = page("card")
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "The app cannot start: " + escape("KB_MAX_FILE_MB='0.5': give a whole number of "
                                          "megabytes, 1 or more (default 150)")]


@pytest.mark.parametrize("name", __import__("conftest").CASES)
def test_every_bad_case_shows_its_report_on_a_page(monkeypatch, bad_case, name):
    from conftest import case_expected

    monkeypatch.setenv("KB_DATA_DIR", str(bad_case(name)))
    at = page("card")
    assert not at.exception, at.exception
    assert "did not validate" in at.error[0].value
    report = at.dataframe[0].value
    shown = [f"{r.file}:{r.line}:{r.field} {r.message}" for r in report.itertuples()]
    assert shown == case_expected(name)


def test_a_search_for_neck_reaches_neck_pain_and_its_card():
    at = page("explorer", q="neck")
    assert "Graded evidence: 0 conditions" in subheaders(at)  # and then, by name:
    assert "Evidence exists, but its certainty is not stated: 2 conditions" in subheaders(at)
    ungraded = at.dataframe[-1].value.set_index("condition_id")
    assert "neck-pain" in ungraded.index
    assert ungraded.loc["neck-pain", "card"] == "condition?condition=neck-pain"


def test_check_a_text_flags_an_overstated_sentence_and_refuses_bad_input():
    at = page("textcheck")
    assert not at.exception
    assert "at most 5 MB" in at.caption[1].value
    at.text_area(key="tc_text").set_value(
        "Dry needling is proven to cure tennis elbow.\n\nThe sky is blue.").run()
    assert not at.exception
    assert subheaders(at) == ["2 sentences checked"]
    shown = [m.value for m in at.markdown]
    assert ":orange-badge[Overstated] Dry needling is proven to cure tennis elbow\\." in shown
    assert "Conditions\\: Lateral epicondylalgia" in shown  # in words; ids only when asked
    assert not any(c.value.startswith("Findings") for c in at.caption)
    at.toggle(key="tc_ids").set_value(True).run()
    assert any(c.value.startswith("Findings") for c in at.caption)
    at.multiselect(key="tc_status").set_value(["not assessable"]).run()
    shown = [m.value for m in at.markdown]
    assert not any("tennis elbow" in m for m in shown)
    assert any("The sky is blue" in m for m in shown)
    at.text_area(key="tc_text").set_value("   ").run()
    assert at.info and "Paste a text" in at.info[0].value


def _shown_text(at: AppTest) -> tuple[str, set[str]]:
    """What a reader sees: the text elements, and every displayed table's headers and cells."""
    kinds = ("markdown", "caption", "subheader", "header", "title", "info", "warning",
             "success", "error")
    texts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    cells = {str(getattr(b, "label", "")) for b in at.get("badge")}
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        shown = [c for c in (frame.proto.column_order or frame.value.columns)
                 if not config.get(c, {}).get("hidden")]
        cells |= {str(config.get(c, {}).get("label") or c) for c in shown}
        cells |= set(frame.value[shown].astype(str).stack().tolist())
    text = "\n".join(texts + sorted(cells)).replace("\\", "").replace("\u2060", "")
    return text, {c.replace("\\", "").replace("\u2060", "").strip() for c in cells}


@pytest.mark.parametrize("module,params", [
    ("card", {"condition": "low-back-pain"}), ("card", {"condition": "neck-pain"}),
    ("card", {"condition": "headache"}), ("card", {"condition": "low-back-pain", "detail": "1"}),
    ("safety", {}), ("evidence_map", {}), ("explorer", {}), ("explorer", {"q": "neck"}),
    ("explorer", {"certainty": "low", "window": "short-term"}),
    ("safety", {}), ("evidence_map", {}), ("claims", {"claim": "fa-087"}),
    ("claims", {"claim": "nx-026", "unassessable": "1"}), ("check", {"unassessable": "1"}),
    ("graph", {}), ("disagree", {}), ("impact", {"ref": "liu2018"}),
])
def test_no_raw_vocabulary_code_is_shown(module, params):
    """No code of any vocabulary (conftest.raw_codes: hyphenated, snake_case, or differing from
    its label, like 'not assessable') in running text, alone in a cell, header, badge, option
    or expander title, or after "Time: "."""
    import re

    at = page(module, **params)
    text, cells = _shown_text(at)
    codes = raw_codes()
    in_text = codes_in_text(text)
    alone = sorted(c for c in cells if c in codes or re.fullmatch(r"[a-z]+(_[a-z]+)+", c))
    badges = sorted(c for c in codes if re.search(r"Time: " + re.escape(c), text))
    labels = [str(e.label) for e in at.get("expander")]
    labels += [str(o) for kind in ("selectbox", "multiselect") for w in getattr(at, kind)
               for o in w.options]
    titled = sorted({c for label in labels for c in label_codes(label)})
    assert (in_text, alone, badges, titled) == ([], [], [], [])


IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/15.0 Mobile/15E148 Safari/604.1")
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120"


def _agent(monkeypatch, agent: str) -> None:
    """The browser's User-Agent header as the pages read it (st.context.headers)."""
    from types import SimpleNamespace

    monkeypatch.setattr(st, "context", SimpleNamespace(headers={"User-Agent": agent}))


def _panel_label(at: AppTest) -> str:
    return at.expander[0].label.replace("\\", "")


@pytest.mark.parametrize("module,prefix", [("explorer", "ex"), ("evidence_map", "map")])
def test_filters_sit_in_a_panel_that_names_them_and_keeps_the_permalink(module, prefix):
    at = page(module, certainty="low", window="short-term")
    assert _panel_label(at) == "Filters: at least low · short term"
    assert at.expander[0].proto.expanded  # open on a desktop
    at.multiselect(key=f"{prefix}_region").set_value(["back"]).run()
    assert _panel_label(at) == "Filters: at least low · short term · back"
    assert dict(at.query_params) == {"certainty": "low", "window": "short-term",
                                     "region": "back"}
    assert _panel_label(page(module)) == "Filters: none set"


def test_claims_filters_sit_in_the_same_panel():
    at = page("claims", status="overstated", q="cure", claim="fa-012")
    assert _panel_label(at) == 'Filters: Overstated · search “cure”'  # the claim is no filter
    assert at.text_input(key="cl_q").value == "cure"


@pytest.mark.parametrize("agent,phone", [(IPHONE, True), (DESKTOP, False)])
def test_filters_close_and_tables_narrow_on_a_phone(monkeypatch, agent, phone):
    _agent(monkeypatch, agent)
    for module in ("explorer", "evidence_map", "claims"):
        at = page(module)
        assert at.expander[0].proto.expanded is not phone, module
    at = page("explorer")
    order = list(at.dataframe[0].proto.column_order)
    windows = ["certainty_immediate", "certainty_short_term", "certainty_long_term"]
    if phone:  # the name, the card, and the certainty of every window in one column
        assert order == ["label", "card", "by_window"]
        heel = at.dataframe[0].value.set_index("condition_id").loc["plantar-heel-pain"]
        assert heel["by_window"] == "short term: low · long term: moderate"
        at = page("explorer", window="long-term,short-term")
        assert at.dataframe[0].value.set_index("condition_id").loc[
            "plantar-heel-pain", "by_window"] == "short term: low · long term: moderate"
        at = page("explorer", window="long-term")  # one window: its header names it
        assert at.dataframe[0].value.set_index("condition_id").loc[
            "plantar-heel-pain", "by_window"] == "moderate"
        assert json.loads(at.dataframe[0].proto.columns)["by_window"]["label"] == "Long term"
    else:
        assert order == ["label", "card", *windows, "n_findings", "n_claims", "body_region"]


def test_evidence_map_lists_conditions_with_window_chips_for_phones(kb):
    """Below 640 px the map is a list: each condition (by name) linked to its card, a badge
    per window asked for with its certainty in words, the scale's colour and hover
    definitions; the layout style picks the list or the plot by the viewport's width."""
    from kb import catalog
    from kb.cube import ConditionFilter, evidence_map
    from kb.ui.common import LAYOUT_CSS

    at = page("evidence_map", window="short-term,long-term")
    assert [h.proto.body for h in at.get("html")] == [LAYOUT_CSS]
    assert "max-width: 640px" in LAYOUT_CSS and "st-key-wide_" in LAYOUT_CSS
    cells = evidence_map(catalog.cube(kb), ConditionFilter(time_windows=("short-term",
                                                                         "long-term")))
    named = cells.drop_duplicates("condition_id").sort_values("label")
    assert _links(at) == [("condition", f"condition={cid}", f"**{escape(label)}**")
                          for cid, label in zip(named["condition_id"], named["label"],
                                                strict=True)]
    badges = {}
    for m in at.markdown:
        found = re.fullmatch(r":(\w+)-badge\[(.*)\]", m.value)
        if found:
            badges[found[2].replace("\\", "")] = (found[1], m.proto.help.replace("\\", ""))
    assert len(badges) >= len(named)
    colour, help_text = badges["Short term: moderate · 10 findings"]  # low back pain
    assert colour == vocab.Certainty.badge_colour("moderate")
    assert vocab.TIME_WINDOW_MEANING["short-term"] in help_text
    assert vocab.CERTAINTY_MEANING["moderate"] in help_text
    assert "Long term: no findings" in badges
    assert not [b for b in badges if b.startswith("Immediate")]  # only the windows asked for
    assert codes_in_text("\n".join(badges)) == []
    assert len(at.get("plotly_chart")) == 1  # the plot is there too, for wide screens


def test_nothing_from_the_data_reaches_raw_html():
    """The app's one st.html is the constant layout style."""
    from kb.ui import common

    sources = [Path(APP), *sorted((Path(APP).parent / "kb" / "ui").glob("*.py"))]
    code = "\n".join(p.read_text() for p in sources)
    assert code.count("st.html(") == code.count("st.html(LAYOUT_CSS)") == 1
    assert common.LAYOUT_CSS.startswith("<style>") and "{PHONE" not in common.LAYOUT_CSS


def test_evidence_trail_cards_name_the_reference_and_its_finding():
    """fa-087 cites Physiopedia, which restates Liu 2018 for this sentence: the trail is a
    chain of bordered cards naming the review by author and year, with its DOI, and the
    finding's effect and certainty in words."""
    at = page("claims", claim="fa-087")
    cards = [b for b in at.main.children.values()
             if type(b).__name__ == "Block" and b.proto.flex_container.border]
    heads = [next(iter(b.children.values())).value for b in cards]
    assert heads[:4] == ["**Claim**", "**Article section**", "**Cited reference**",
                         "**Restated passage**"]
    assert "**Finding**" in heads and "**" + escape("Review: Liu 2018") + "**" in heads
    text = " ".join(m.value for m in at.markdown)
    assert escape("Physiopedia: Dry Needling restates Liu 2018 (systematic review)") in text
    assert escape("Effect: SMD \u22121.06 (\u22121.77 to \u22120.36): a large reduction") in text
    assert "https://doi.org/10.1016/j.apmr.2017.06.008" in text
    assert "https://pubmed.ncbi.nlm.nih.gov/28690077/" in text
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert any(escape("Certainty: moderate (authors' wording, not GRADE)") in b for b in badges)
    assert "liu2018" not in text  # ids only with "Show ids"


def _ids_in(at: AppTest, ids: set[str]) -> set[str]:
    """The ids among the shown tables' headers and cells and the page's Markdown."""
    words = {m.value.replace("\\", "") for m in at.markdown}
    for frame in at.dataframe:
        words |= set(frame.value.columns) | set(frame.value.astype(str).stack())
    text = " ".join(words)
    return {i for i in ids if i in words or f" {i}" in text}


@pytest.mark.parametrize("module,params", [
    ("claims", {"claim": "fa-087"}), ("check", {}),
    ("card", {"condition": "low-back-pain", "detail": "1"})])
def test_show_ids_toggle_hides_ids_until_asked(kb, module, params):
    ids = {"fa-087", "liu2018-pain-other-st", "claim_id", "finding_id"} | {
        *kb.claims["claim_id"].head(40)}
    at = page(module, **params)
    toggle = next(t for t in at.toggle if t.label == "Show ids")
    assert toggle.value is False
    assert _ids_in(at, ids) == set()
    toggle.set_value(True).run()
    shown = _ids_in(at, ids)
    assert shown and "ids=1" in "&".join(f"{k}={v}" for k, v in at.query_params.items())


def test_graph_defaults_to_the_low_back_pain_neighbourhood(kb):
    from kb import catalog

    at = page("graph")
    assert at.selectbox(key="gr_node").value == "condition:low-back-pain"
    whole = catalog.graph(kb).number_of_nodes()
    nodes = at.dataframe[0].value
    assert 10 < len(nodes) < whole / 5
    options = at.selectbox(key="gr_node").options
    assert options[0].endswith("(condition)")
    assert "Low back pain (condition)" in options
    prefixes = ("condition:", "claim:", "ref:", "finding:", "article:")
    assert not [o for o in options if any(p in o for p in prefixes)]
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    legend = {t.get("name") for t in figure["data"] if t.get("name")}
    assert legend >= {vocab.NODE_KIND_LABEL["condition"], vocab.NODE_KIND_LABEL["reference"],
                      "Focus"}
    focus = next(t for t in figure["data"] if t.get("name") == "Focus")
    assert focus["text"] == ["<b>Low back pain</b>"]
    sizes = [s for t in figure["data"] if t.get("mode", "").startswith("markers")
             for s in (t["marker"]["size"] if isinstance(t["marker"]["size"], list) else [])]
    assert len(set(sizes)) > 3  # sized by degree
