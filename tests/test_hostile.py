"""Hostile strings in the data (script tags, javascript: links, formulas) come out inert
through every output: tables, spreadsheets, bibliography, graph, slides and the app."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, ROOT
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from kb import catalog
from kb.bibliography import format_references
from kb.catalog import bibliography as export_bibliography
from kb.catalog import table_bytes
from kb.load import load

TABLES = catalog.table_names()

HOSTILE = FIXTURES / "hostile"
FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
RAW_HTML = re.compile(r"<(script|img|iframe|svg|b)\b", re.I)
JS_LINK = re.compile(r"\]\(\s*(javascript|data):", re.I)


@pytest.fixture(scope="module")
def hostile():
    return load(HOSTILE)


def risky(value: str) -> bool:
    return bool(FORMULA.match(value)) and not NUMBER.match(value)


@pytest.mark.parametrize("table", TABLES)
def test_csv_and_xlsx_cells_never_start_a_formula(hostile, table):
    frame = catalog.table(hostile, table)
    rows = list(csv.reader(io.StringIO(table_bytes(frame, "csv").decode())))
    assert not [cell for row in rows[1:] for cell in row if risky(cell)]
    sheet = openpyxl.load_workbook(io.BytesIO(table_bytes(frame, "xlsx"))).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and risky(c.value)]


def test_hostile_values_survive_as_text(hostile):
    sheet = openpyxl.load_workbook(io.BytesIO(table_bytes(hostile.claims, "xlsx"))).active
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in values


@pytest.mark.parametrize("style", ["ama", "vancouver"])
def test_markdown_bibliography_is_inert(hostile, style):
    text = export_bibliography(hostile, style, markdown=True)
    assert not RAW_HTML.search(text.replace("\\<", ""))
    assert not JS_LINK.search(text)
    for entry in format_references(hostile, ["review2020", "page"], style, markdown=True):
        assert not JS_LINK.search(entry)


def test_graph_labels_are_escaped_text(hostile):
    import networkx as nx

    from kb.catalog import write_graph as export_graph
    from kb.graph import build_graph

    graph = nx.read_graphml(io.BytesIO(export_graph(build_graph(hostile), "graphml")))
    label = graph.nodes["condition:back-pain"]["label"]
    assert label == "<b onmouseover=alert(6)>Back pain</b>"  # kept as text, not markup


def test_slides_carry_text_not_markup(hostile, tmp_path):
    from kb.slides import build_deck

    deck = Presentation(io.BytesIO(build_deck(hostile, ["back-pain"])))
    texts = [run.text for s in deck.slides for shape in s.shapes if shape.has_text_frame
             for p in shape.text_frame.paragraphs for run in p.runs]
    assert any("<b onmouseover=alert(6)>" in t for t in texts)  # literal text in a text run


def test_views_escape_markdown_and_links():
    from kb.markdown import escape

    out = escape("[click me](javascript:alert(3)) <script>alert(1)</script>")
    assert not JS_LINK.search(out) and "<script>" not in out


PAGES = ["explorer", "evidence_map", "card", "claims", "graph", "check", "disagree", "impact"]


def _page(module: str) -> None:
    import importlib

    importlib.import_module(f"kb.ui.{module}").render()


@pytest.mark.parametrize("module", PAGES)
def test_app_pages_render_hostile_text_inert(module, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("KB_DATA_DIR", str(HOSTILE))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_function(_page, args=(module,), default_timeout=30).run()
    assert not at.exception, at.exception
    for element in [*at.markdown, *at.caption, *at.info, *at.warning]:
        assert not RAW_HTML.search(element.value.replace("\\<", "")), element.value
        assert not JS_LINK.search(element.value), element.value
    st.cache_resource.clear()


def test_app_never_renders_raw_html_from_data():
    sources = [ROOT / "app.py", *sorted((ROOT / "kb" / "ui").glob("*.py"))]
    code = "\n".join(Path(p).read_text() for p in sources)
    assert "unsafe_allow_html=True" not in code
    assert "st.iframe" not in code and "components.html" not in code
    assert code.count("st.html(") == code.count("st.html(LAYOUT_CSS)") == 1  # a constant style


# Elements whose text Streamlit renders as Markdown (labels and help of widgets too).
MARKDOWN_ELEMENTS = {"Title", "Header", "Subheader", "Caption", "Markdown", "Info", "Warning",
                     "Error", "Success", "Exception", "Expander", "Tab", "Metric", "PageLink",
                     "Selectbox", "Multiselect", "Toggle", "TextInput", "Radio", "Checkbox",
                     "ButtonGroup", "DownloadButton", "Button", "Badge", "Status"}
BARE_URL = re.compile(r"(https?://|www\.|\w@\w)", re.I)
# The app's own links: DOI, PubMed and the fixture's validated reference URL.
OWN_LINK = re.compile(r"https://(doi\.org|pubmed\.ncbi\.nlm\.nih\.gov|www\.ncbi\.nlm\.nih\.gov"
                      r"|example\.org)/[^\s()]*")
OWN_MD_LINK = re.compile(r"\[(?:\\.|[^\\\]])*\]\(" + OWN_LINK.pattern + r"\)")
HOSTILE_VIEWS = [("explorer", {}), ("explorer", {"q": "pain"}), ("evidence_map", {}),
                 ("card", {"condition": "whiplash", "detail": "true"}),
                 ("card", {"condition": "back-pain"}), ("claims", {"claim": "be-001"}),
                 ("claims", {"ref": "opinion", "claim": "al-001"}),
                 ("graph", {"node": "condition:whiplash"}), ("graph", {}), ("check", {}),
                 ("disagree", {}), ("impact", {"ref": "opinion"}), ("impact", {})]


def _markdown_texts(node) -> list[str]:
    """Every string of the rendered page that Streamlit shows as Markdown."""
    found = []
    if type(node).__name__ in MARKDOWN_ELEMENTS:
        for name in ("value", "label", "help", "body"):
            value = getattr(node, name, None)
            if isinstance(value, str) and value:
                found.append(value)
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            found += _markdown_texts(child)
    return found


def _rendered_markup(text: str) -> list[str]:
    """Links, images and raw HTML that CommonMark (with HTML on) makes of text."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": True}).parse(text)
    found = []
    for token in tokens:
        for part in [token, *(token.children or [])]:
            if part.type == "link_open" and OWN_LINK.fullmatch(part.attrs.get("href", "")):
                continue
            if part.type in ("link_open", "image", "html_inline", "html_block"):
                found.append(f"{part.type}: {part.content or part.attrs}")
    # GFM links bare URLs after backslash escapes are resolved, so look at the text as read.
    outside_own_links = OWN_MD_LINK.sub("", text)
    if BARE_URL.search(re.sub(r"\\(.)", r"\1", outside_own_links)):
        found.append(f"autolink: {text}")
    return found


@pytest.mark.parametrize(("module", "params"), HOSTILE_VIEWS,
                         ids=[f"{m}-{'-'.join(p.values()) or 'default'}"
                              for m, p in HOSTILE_VIEWS])
def test_no_link_image_or_html_reaches_any_page(module, params, monkeypatch):
    """Hostile labels, titles, statements and ids: nothing on any page renders as a link,
    an image or an HTML element (the disclaimer and the app's own page links aside)."""
    import streamlit as st

    monkeypatch.setenv("KB_DATA_DIR", str(HOSTILE))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_function(_page, args=(module,), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    texts = _markdown_texts(at._tree)
    assert texts
    markup = [(text, found) for text in texts for found in _rendered_markup(text)]
    assert not markup, markup
    st.cache_resource.clear()


def test_hostile_fixture_carries_links_images_and_html():
    """The fixture feeds the page test what it must neutralise."""
    text = "".join(p.read_text() for p in HOSTILE.iterdir())
    assert "[x](https://evil.example) ![i](https://evil.example/i.png) <img src=x>" in text
    assert "<a href=x>" in text and "![t](https://evil.example/t.png)" in text
