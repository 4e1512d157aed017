"""A slide deck for educators (python-pptx): one slide per condition, evidence map, references.

Content comes from kb.views (bottom line, badges, findings, safety claims), kb.figures and
kb.bibliography; this module only lays it out. Every text box is filled by a conservative
line-count estimate so nothing overflows; long lists continue on further slides.
"""

from __future__ import annotations

import io
import math

import pandas as pd

from kb import views, vocab
from kb.model import KB

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
MARGIN = 0.6
BODY_W = SLIDE_W - 2 * MARGIN
TITLE_PT, BOTTOM_PT, BODY_PT, SMALL_PT = 28, 18, 16, 14
TITLE_CHARS = 56
CHAR_EM = 0.55  # average character width in em, on the safe side for Calibri/Carlito
LINE_SPACING = 1.25
MAX_ITEM_CHARS = 220
MAX_FINDINGS = 8
FINDINGS_TOP, FINDINGS_TOP_CONT, FINDINGS_BOTTOM = 3.65, 1.85, 6.1
SAFETY_NOTES = 6
DARK = "1F2937"


def _clip(text: str, limit: int = MAX_ITEM_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_height(items: list[str], width_in: float, pt: int) -> float:
    """Inches a list of paragraphs needs at a font size, counting wrapped lines."""
    per_line = max(1, int(width_in * 72 / (pt * CHAR_EM)))
    lines = sum(max(1, math.ceil((len(t) + 2) / per_line)) for t in items)  # + bullet
    return lines * pt * LINE_SPACING / 72 + 0.1 * len(items) + 0.2


def paginate(items: list[str], width_in: float, height_in: float, pt: int,
             first_height_in: float | None = None) -> list[list[str]]:
    """Split paragraphs into pages that each fit the box (the first page's box may differ)."""
    pages: list[list[str]] = [[]]
    for item in items:
        room = first_height_in if first_height_in and len(pages) == 1 else height_in
        if pages[-1] and text_height(pages[-1] + [item], width_in, pt) > room:
            pages.append([])
        pages[-1].append(item)
    return [p for p in pages if p]


class Deck:
    """A python-pptx presentation with this module's layout helpers."""

    def __init__(self) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)

    def slide(self, title: str, notes: list[str] | None = None, layout: int = 5):
        from pptx.util import Inches, Pt

        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        shape = slide.shapes.title
        shape.left, shape.top = Inches(MARGIN), Inches(0.35)
        shape.width, shape.height = Inches(BODY_W), Inches(0.95)
        shape.text = _clip(title, TITLE_CHARS)
        for run in shape.text_frame.paragraphs[0].runs:
            run.font.size, run.font.bold = Pt(TITLE_PT), True
        if notes:
            slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)
        return slide

    def text(self, slide, items: list[str], top: float, height: float, pt: int = BODY_PT,
             bullets: bool = False, left: float = MARGIN, width: float = BODY_W,
             bold: bool = False) -> None:
        from pptx.dml.color import RGBColor
        from pptx.enum.text import MSO_AUTO_SIZE
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
        for i, item in enumerate(items):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.space_after = Pt(7)
            run = para.add_run()
            run.text = ("• " if bullets else "") + item
            run.font.size, run.font.bold = Pt(pt), bold
            run.font.color.rgb = RGBColor.from_string(DARK)

    def badge(self, slide, label: str, left: float, top: float, fill: str | None) -> float:
        """A rounded label; returns its width in inches."""
        from pptx.dml.color import RGBColor
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches, Pt

        width = 0.5 + len(label) * SMALL_PT * CHAR_EM / 72
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(left), Inches(top),
                                       Inches(width), Inches(0.45))
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string((fill or "#F3F4F6").lstrip("#"))
        shape.line.color.rgb = RGBColor.from_string(DARK)
        frame = shape.text_frame
        frame.word_wrap = False
        run = frame.paragraphs[0].add_run()
        run.text = label
        run.font.size, run.font.bold = Pt(SMALL_PT), True
        ink = vocab.text_colour(fill).lstrip("#") if fill else DARK
        run.font.color.rgb = RGBColor.from_string(ink)
        return width

    def picture(self, slide, png: bytes, top: float, max_h: float) -> None:
        from PIL import Image
        from pptx.util import Inches

        w, h = Image.open(io.BytesIO(png)).size
        scale = min(BODY_W / w, max_h / h)
        left = (SLIDE_W - w * scale) / 2
        slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top),
                                 Inches(w * scale), Inches(h * scale))

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


class Citations:
    """Deck-wide reference numbers, in order of first use."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def mark(self, reference_id: str) -> str:
        if reference_id not in self.ids:
            self.ids.append(reference_id)
        return f"[{self.ids.index(reference_id) + 1}]"


def _effect(row: pd.Series) -> str:
    if row["effect"] == "unknown":
        return "effect size not known to us"
    unit = "%" if row["effect_measure"] == "percent" else ""
    measure = "" if unit else f"{row['effect_measure']} "
    ci = f" (95% CI {row['ci_95']})" if row["ci_95"] != "unknown" else " (CI not known to us)"
    return f"{measure}{row['effect']}{unit}{ci}"


def finding_line(row: pd.Series, marker: str) -> str:
    """One finding in words: outcome, window, comparator, direction, effect, certainty."""
    window = row["time_window"] if row["time_window"] != "unknown" else row["time_wording"]
    plain = row["intervention"] == "dry needling"
    versus = (f"vs {row['comparator']}" if plain
              else f"{row['intervention']} vs {row['comparator_detail']}")
    text = (f"{row['outcome'].capitalize()}, {window}, {versus}: "
            f"{vocab.DIRECTION_LABEL.get(row['direction'], row['direction'])}; {_effect(row)}; "
            f"certainty {row['certainty']} ({row['review']} {marker})")
    return _clip(text)


def _key_findings(kb: KB, condition_id: str) -> pd.DataFrame:
    """The condition's findings, GRADE-rated favourable ones with known effects first."""
    shown = views.condition_findings(kb, condition_id)
    rank = kb.findings.set_index("finding_id")
    order = pd.DataFrame({
        "favours": (shown["direction"] == "favours-dn").astype(int),
        "cert": shown["finding_id"].map(rank["cert_max"]).astype("Float64").fillna(0),
        "known": (shown["effect"] != "unknown").astype(int)}, index=shown.index)
    return shown.loc[order.sort_values(["favours", "cert", "known"], ascending=False).index]


def _safety_lines(kb: KB, cites: Citations) -> list[str]:
    """Adverse-event rates from the surveys, as the KB records them."""
    events = kb.findings[kb.findings["outcome"] == "adverse-events"]
    names = views.short_citation(kb.references)
    return [_clip(f"{row.outcome_detail} ({names.get(row.reference_id, row.reference_id)} "
                  f"{cites.mark(row.reference_id)}; {row.certainty})", 150)
            for row in events.itertuples()]


def _condition_slides(deck: Deck, kb: KB, condition_id: str, cites: Citations,
                      safety: list[str], full: dict[str, str]) -> None:
    label = kb.conditions.set_index("condition_id").at[condition_id, "label"]
    row = views.condition_row(kb, condition_id)
    findings = _key_findings(kb, condition_id)
    review = kb.findings.set_index("finding_id")["reference_id"]
    lines = [finding_line(f, cites.mark(review[f["finding_id"]]))
             for _, f in findings.head(MAX_FINDINGS).iterrows()]
    if len(findings) > MAX_FINDINGS:
        lines.append(f"{len(findings) - MAX_FINDINGS} more findings in the KB: see the app's "
                     "condition card or the findings table.")
    lines = lines or ["No review in the KB reports a finding for this condition."]
    pages = paginate(lines, BODY_W, FINDINGS_BOTTOM - FINDINGS_TOP_CONT, BODY_PT,
                     FINDINGS_BOTTOM - FINDINGS_TOP)
    for n, page in enumerate(pages):
        refs = [r for r in cites.ids if any(f"{cites.mark(r)})" in line for line in page)]
        slide = deck.slide(label if n == 0 else f"{label} (continued)",
                           notes=[f"{cites.mark(r)} {full[r]}" for r in refs]
                           + ["Safety: " + s for s in safety])
        if n == 0:
            certainty = (str(row["best_certainty"]) if row is not None
                         else views.condition_status(kb, condition_id))
            fill = vocab.Certainty.colour(certainty) if row is not None else None
            basis = str(row["certainty_basis"]) if row is not None else ""
            shown = views.certainty_text(certainty, basis)
            left = MARGIN + deck.badge(slide, shown, MARGIN, 1.35, fill)
            windows = str(row["time_windows"]).split(", ") if row is not None else ["no window"]
            for window in windows:
                left += 0.2 + deck.badge(slide, window, left + 0.2, 1.35, None)
            deck.text(slide, [_clip(views.bottom_line(kb, condition_id), 200)], 1.95, 1.25,
                      BOTTOM_PT, bold=True)
        top = FINDINGS_TOP if n == 0 else FINDINGS_TOP_CONT
        deck.text(slide, ["Key findings"], top - 0.45, 0.45, BODY_PT, bold=True)
        deck.text(slide, page, top, FINDINGS_BOTTOM - top, BODY_PT, bullets=True)
        deck.text(slide, [_clip("Safety (all conditions): " + "; ".join(safety[:2]), 200)],
                  6.2, 1.0, SMALL_PT)


def _safety_slides(deck: Deck, kb: KB, safety: list[str]) -> None:
    claims = views.safety_claims(kb.claims)
    contra = claims[claims["topic"] == "contraindication"]
    sources = kb.sources.set_index("source_id")["publisher"]
    notes = [_clip(f"{s} ({sources.get(src, src)}; {c})", 170) for s, src, c in
             zip(contra["statement"], contra["source_id"], contra["certainty"], strict=True)]
    items = safety + list(dict.fromkeys(notes))[:SAFETY_NOTES]
    for n, page in enumerate(paginate(items, BODY_W, 5.6, BODY_PT)):
        slide = deck.slide("Safety and contraindications" + (" (continued)" if n else ""),
                           notes=["What the articles say about contraindications is their "
                                  "claim; the certainty shown is what stands behind it."])
        deck.text(slide, page, 1.5, 5.6, BODY_PT, bullets=True)


def build_deck(kb: KB, condition_ids: list[str] | None = None) -> bytes:
    """A .pptx deck on the given conditions (None: every graded condition), as bytes."""
    from kb import catalog
    from kb.bibliography import format_references
    from kb.cube import evidence_map, query_conditions
    from kb.figures import evidence_map_figure

    if condition_ids is None:
        condition_ids = query_conditions(catalog.cube(kb))["condition_id"].tolist()

    known = set(kb.conditions["condition_id"])
    unknown = [c for c in condition_ids if c not in known]
    if unknown or not condition_ids:
        raise ValueError(f"unknown condition ids: {', '.join(unknown)}" if unknown
                         else "give at least one condition id")
    condition_ids = list(dict.fromkeys(condition_ids))
    labels = kb.conditions.set_index("condition_id")["label"]
    deck, cites = Deck(), Citations()
    title = deck.slide("Dry needling: what the evidence says", layout=0)
    subtitle = title.placeholders[1]
    subtitle.text = _clip("Conditions: " + ", ".join(labels[c] for c in condition_ids), 200)
    safety = _safety_lines(kb, cites)
    condition_refs = [kb.findings.loc[kb.findings["condition_id"] == c, "reference_id"]
                      for c in condition_ids]
    all_refs = list(dict.fromkeys(cites.ids + pd.concat(condition_refs).tolist()))
    full = dict(zip(all_refs, format_references(kb, all_refs), strict=True))
    for condition_id in condition_ids:
        _condition_slides(deck, kb, condition_id, cites, safety, full)
    _safety_slides(deck, kb, safety)
    frame = evidence_map(catalog.cube(kb))
    slide = deck.slide("Evidence map", notes=[
        "Colour: best GRADE certainty of a finding in favour of dry needling; size: number of "
        "findings. Open grey circles: no supporting finding. Conditions without any GRADE-rated "
        "supporting finding are not shown."])
    chosen = frame[frame["condition_id"].isin(condition_ids)]
    deck.picture(slide, evidence_map_figure(chosen, "png"), 1.4, 5.8)
    entries = [f"{i}. {full[r]}" for i, r in enumerate(cites.ids, 1)]
    for n, page in enumerate(paginate(entries, BODY_W, 5.9, SMALL_PT)):
        slide = deck.slide("References" + (" (continued)" if n else ""), notes=page)
        deck.text(slide, page, 1.35, 5.9, SMALL_PT)
    return deck.bytes()

