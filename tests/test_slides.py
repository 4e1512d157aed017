"""The educator deck, opened with python-pptx (and rendered by LibreOffice where present)."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from kb.load import load
from kb.slides import build_deck

CONDITIONS = ["low-back-pain", "musculoskeletal-pain", "headache", "carpal-tunnel-syndrome"]
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def deck_bytes():
    return build_deck(load(), CONDITIONS)


@pytest.fixture(scope="module")
def deck(deck_bytes):
    return Presentation(io.BytesIO(deck_bytes))


def _titles(deck) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in deck.slides]


def _all_text(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def test_slide_sequence_and_titles(deck):
    titles = _titles(deck)
    assert titles[0] == "Dry needling: what the evidence says"
    assert "Low back pain" in titles and "Headache" in titles
    assert "Carpal tunnel syndrome" in titles
    assert titles.index("Low back pain") < titles.index("Musculoskeletal pain")
    assert "Safety and contraindications" in titles
    assert "Evidence map" in titles and "References" in titles
    # Musculoskeletal pain has 15 findings: they continue on further slides.
    assert "Musculoskeletal pain (continued)" in titles
    assert titles[-1].startswith("References")
    assert 10 <= len(deck.slides) <= 20


def test_condition_slide_has_bottom_line_badges_findings_and_safety(deck):
    slide = next(s for s in deck.slides if s.shapes.title.text == "Low back pain")
    text = _all_text(slide)
    assert "Certainty: moderate" in text
    assert "short-term" in text
    assert "moderate-certainty (authors' wording, not GRADE) evidence" in text
    assert "Certainty: moderate (authors' wording, not GRADE)" in text
    assert "SMD -1.06 (95% CI -1.77 to -0.36)" in text
    assert "Safety (all conditions):" in text and "adverse events" in text
    notes = slide.notes_slide.notes_text_frame.text
    # references.md v2 gives Liu 2018's title, pages 144-152.e2 and DOI
    assert ("Liu L, Huang QM, Liu QG, et al. Evidence for Dry Needling in the Management of "
            "Myofascial Trigger Points Associated With Low Back Pain") in notes
    assert "Arch Phys Med Rehabil. 2018;99(1):144-152.e2. doi:10.1016/j.apmr.2017.06.008" in notes


def test_ungraded_condition_says_so(deck):
    slide = next(s for s in deck.slides if s.shapes.title.text == "Carpal tunnel syndrome")
    text = _all_text(slide)
    # the evidence issue: a condition with no finding is "listed as a possible use only"
    assert "Evidence: listed as a possible use only" in text
    assert "No review in the KB reports a finding" in text


def test_evidence_map_slide_has_a_picture(deck):
    slide = next(s for s in deck.slides if s.shapes.title.text == "Evidence map")
    pictures = [sh for sh in slide.shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1
    assert pictures[0].image.content_type == "image/png"
    assert pictures[0].left + pictures[0].width <= deck.slide_width


def test_references_are_ama_with_full_citations_in_notes(deck):
    slides = [s for s in deck.slides if s.shapes.title.text.startswith("References")]
    text = "\n".join(_all_text(s) for s in slides)
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in slides)
    gattie = ("Gattie E, Cleland JA, Snodgrass S. The Effectiveness of Trigger Point Dry Needling"
              " for Musculoskeletal Conditions by Physical Therapists: A Systematic Review and "
              "Meta-analysis. J Orthop Sports Phys Ther. 2017;47(3):133-149. "
              "doi:10.2519/jospt.2017.7096")
    assert gattie in text and gattie in notes
    assert "1. Boyce D, Wempe H, Campbell C, et al." in text


def test_fonts_are_readable_and_text_fits_its_box(deck):
    """Every run is at least 14 pt; each text box holds its wrapped lines (own estimate)."""
    for number, slide in enumerate(deck.slides, 1):
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            sizes = [r.font.size.pt for p in shape.text_frame.paragraphs for r in p.runs
                     if r.font.size is not None]
            assert all(size >= 14 for size in sizes), (number, shape.text_frame.text[:40])
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= deck.slide_width
            assert shape.top + shape.height <= deck.slide_height
            if shape == slide.shapes.title or not sizes:
                continue
            width_pt = Emu(shape.width).pt
            needed = 0.0
            for para in shape.text_frame.paragraphs:
                size = max((r.font.size.pt for r in para.runs if r.font.size), default=18)
                per_line = width_pt / (size * 0.5)
                needed += math.ceil(max(len(para.text), 1) / per_line) * size * 1.2
            assert needed <= Emu(shape.height).pt, (number, shape.text_frame.text[:60])


def test_unknown_condition_is_refused():
    with pytest.raises(ValueError, match="no-such-condition"):
        build_deck(load(), ["low-back-pain", "no-such-condition"])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None or shutil.which("pdftoppm") is None,
                    reason="libreoffice and pdftoppm are needed to render the deck")
def test_deck_renders_to_png(deck_bytes, tmp_path):
    source = tmp_path / "deck.pptx"
    source.write_bytes(deck_bytes)
    subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(source)], check=True, timeout=180,
                   capture_output=True)
    pdf = tmp_path / "deck.pdf"
    assert pdf.exists()
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "deck")],
                   check=True, timeout=120)
    pages = sorted(ARTIFACTS.glob("deck-*.png"))
    assert len(pages) == len(Presentation(io.BytesIO(deck_bytes)).slides)
