"""The lecture deck, opened with python-pptx (and rendered by LibreOffice where present)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

from kb.load import load
from kb.slides import build_deck

CONDITIONS = ["low-back-pain", "neck-pain", "headache", "carpal-tunnel-syndrome"]
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def deck_bytes():
    return build_deck(load(), CONDITIONS)


@pytest.fixture(scope="module")
def deck(deck_bytes):
    return Presentation(io.BytesIO(deck_bytes))


def _titles(deck) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in deck.slides]


def _text(slide) -> str:
    parts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    for sh in slide.shapes:
        if sh.has_table:
            parts += [c.text for row in sh.table.rows for c in row.cells]
    return "\n".join(parts)


def test_sequence_and_core_properties(deck):
    titles = _titles(deck)
    assert titles[0] == "Dry needling: what the evidence says"
    assert {"Low back pain", "Neck pain", "Headache", "Carpal tunnel syndrome"} <= set(titles)
    assert "Safety: adverse events and contraindications" in titles
    assert titles[-1].startswith("References")
    props = deck.core_properties
    assert props.author == props.last_modified_by == "Dry Needling Evidence KB"
    assert "Low back pain" in props.title and props.created.year >= 2024
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.001


def test_title_and_subtitle_are_centred(deck):
    slide = deck.slides[0]
    for shape in (slide.shapes.title, slide.placeholders[1]):
        centre = shape.left + shape.width / 2
        assert abs(centre - deck.slide_width / 2) < deck.slide_width * 0.02
        assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width


def test_condition_slide_has_sof_table_forest_with_alt_text_and_notes(deck):
    slide = next(s for s in deck.slides if s.shapes.title.text == "Low back pain")
    text = _text(slide)
    assert "SMD \u22121.06 (\u22121.77 to \u22120.36): a large reduction" in text
    assert "moderate (authors' wording, not GRADE)" in text and "⊕⊕⊕◯" in text
    pictures = [sh for sh in slide.shapes if sh.shape_type == 13]
    assert len(pictures) == 1
    alt = pictures[0]._element.nvPicPr.cNvPr.get("descr")
    assert alt.startswith("Forest plot for Low back pain") and "-1.06" in alt
    notes = slide.notes_slide.notes_text_frame.text
    assert "All findings:" in notes and "Yu 2023" in notes
    assert "• " not in text  # bullets come from the placeholder, not typed


def test_condition_slides_leave_a_gap_above_the_table(deck):
    """fit_text ignores bullet indents: the bottom line must stop well above the table."""
    from pptx.util import Inches

    for slide in deck.slides:
        tables = [sh for sh in slide.shapes if sh.has_table]
        if not tables or not slide.placeholders or 1 not in [p.placeholder_format.idx
                                                           for p in slide.placeholders]:
            continue
        body, table = slide.placeholders[1], tables[0]
        if table.left >= body.left + body.width:  # side by side, as on the safety slide
            continue
        assert table.top - (body.top + body.height) >= Inches(0.25), slide.shapes.title.text


def test_safety_slide_rates_and_contraindications(deck):
    slide = next(s for s in deck.slides if s.shapes.title.text.startswith("Safety"))
    text = _text(slide)
    assert "7,531 of 20,494 or 20,464 treatments (36.7%)" in text
    assert "Where sources disagree" in text and "pregnancy" in text


def test_references_in_citation_order_with_doi_links(deck):
    slides = [s for s in deck.slides if s.shapes.title.text.startswith("References")]
    links = [r.hyperlink.address for s in slides for sh in s.shapes if sh.has_text_frame
             for p in sh.text_frame.paragraphs for r in p.runs if r.hyperlink.address]
    assert "https://doi.org/10.1016/j.apmr.2017.06.008" in links
    first = slides[0].notes_slide.notes_text_frame.text
    assert first.startswith("1. ")
    assert "Steve Canny" not in deck.core_properties.last_modified_by


def test_unknown_condition_is_refused():
    with pytest.raises(ValueError, match="no-such-condition"):
        build_deck(load(), ["low-back-pain", "no-such-condition"])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice (soffice) and pdftoppm are needed to render the deck")
def test_deck_renders_to_png(deck_bytes, tmp_path):
    source = tmp_path / "deck.pptx"
    source.write_bytes(deck_bytes)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(source)], check=True, timeout=180, capture_output=True)
    pdf = tmp_path / "deck.pdf"
    assert pdf.exists()
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "deck")],
                   check=True, timeout=120)
    pages = sorted(ARTIFACTS.glob("deck-*.png"))
    assert len(pages) == len(Presentation(io.BytesIO(deck_bytes)).slides)
