"""The evidence-map figure, opened with Pillow and an XML parser."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from kb import catalog
from kb.cube import evidence_map
from kb.figures import evidence_map_figure
from kb.load import load
from kb.vocab import LEVEL_COLOURS


@pytest.fixture(scope="module")
def map_frame():
    return evidence_map(catalog.cube(load()))


def _pixels(png: bytes, hex_colour: str) -> int:
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    return int((image == rgb).all(axis=2).sum())


def test_png_opens_and_grows_with_the_number_of_conditions(map_frame):
    full = Image.open(io.BytesIO(evidence_map_figure(map_frame, "png")))
    assert full.format == "PNG"
    one = map_frame[map_frame["condition_id"] == "low-back-pain"]
    small = Image.open(io.BytesIO(evidence_map_figure(one, "png")))
    assert full.size[1] > small.size[1]


def test_marker_colour_follows_best_certainty(map_frame):
    full = _pixels(evidence_map_figure(map_frame, "png"), LEVEL_COLOURS[3])
    unsupported = map_frame[map_frame["best_certainty"] == "none supporting"]
    assert len(unsupported) and unsupported["level"].isna().all()
    legend_only = _pixels(evidence_map_figure(unsupported, "png"), LEVEL_COLOURS[3])
    assert legend_only > 0
    assert full > 5 * legend_only  # seven moderate cells in the bundled KB, plus the swatch
    only_low = map_frame[map_frame["best_certainty"] == "low"]
    assert _pixels(evidence_map_figure(only_low, "png"), LEVEL_COLOURS[2]) > 2 * legend_only


def test_svg_is_xml_with_labels_and_legend_as_text(map_frame):
    svg = evidence_map_figure(map_frame, "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    for label in ("Low back pain", "short term", "none supporting", "very low", "12 findings"):
        assert label in text
    assert "short-term" not in text  # windows in words, as in the app's map


def test_empty_map_and_bad_format(map_frame):
    empty = map_frame.iloc[0:0]
    assert "No graded condition matches" in evidence_map_figure(empty, "svg").decode()
    with pytest.raises(ValueError, match="figure format"):
        evidence_map_figure(map_frame, "gif")
