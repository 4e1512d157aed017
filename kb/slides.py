"""A lecture deck (python-pptx): title, one slide per condition, safety, evidence map, references.

The deck is built on a 16:9 theme made here from python-pptx's default template: every master
and layout placeholder is re-laid for the 16:9 slide (so titles and subtitles are centred), the
theme's colours are the project palette (kb.vocab) and its fonts Arial; the master carries a
palette band and the disclaimer. Text sits in placeholders (real bullets and numbering) and is
fitted with `fit_text`, never by guessed heights. Content comes from kb.summary (Summary of
Findings), kb.safety_view, kb.views (bottom line), kb.figures and kb.bibliography.
"""

from __future__ import annotations

import copy
import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from pptx.oxml.ns import qn
from pptx.util import Inches

from kb import safety_view, summary, views, vocab
from kb.citations import doi_url
from kb.model import KB

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
DEFAULT_W = 10.0  # python-pptx's default template is 4:3, 10 inches wide
MARGIN = 0.5
AUTHOR = "Dry Needling Evidence KB"
FONT = "Arial"
# the palette's darkest and second-darkest certainty colours, as pptx writes them
PRIMARY, ACCENT = (vocab.LEVEL_COLOURS[n].lstrip("#").upper() for n in (4, 3))
INK, LIGHT = "1F2937", "F1F5F9"
TABLE_ROWS = 5
REFS_PER_SLIDE = 6
BODY_MAX_PT, TABLE_PT, NOTE_PT = 20, 12, 11
CONDITION_BODY_PT = 18  # the bottom line above a findings table
FONT_FILES = (Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
              Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"))
LAYOUT = {"title": 0, "content": 1, "two": 3, "title_only": 5}


def _font_file() -> str:
    """A TrueType file for fit_text: Liberation Sans (Arial's metrics) if installed, else
    matplotlib's DejaVu Sans, which is wider, so the fit errs on the safe side."""
    for path in FONT_FILES:
        if path.exists():
            return str(path)
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


# --- The theme -------------------------------------------------------------------------------

def _relayout(prs) -> None:
    """Stretch every master and layout placeholder from 4:3 to 16:9 (read all, then write)."""
    scale = SLIDE_W / DEFAULT_W
    shapes = list(prs.slide_master.placeholders)
    for layout in prs.slide_layouts:
        shapes += list(layout.placeholders)
    boxes = [(s, s.left, s.top, s.width, s.height) for s in shapes]
    for shape, left, top, width, height in boxes:
        if None in (left, top, width, height):
            continue
        shape.left, shape.top = int(left * scale), top
        shape.width, shape.height = int(width * scale), height


def _theme(prs) -> None:
    """The project palette and Arial as the theme's colours and fonts."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    scheme = root.find(f".//{qn('a:clrScheme')}")
    scheme.set("name", "Dry Needling Evidence KB")
    colours = {"dk1": INK, "lt1": "FFFFFF", "dk2": PRIMARY, "lt2": LIGHT,
               "accent1": ACCENT, "accent2": vocab.LEVEL_COLOURS[2].lstrip("#").upper(),
               "accent3": vocab.LEVEL_COLOURS[1].lstrip("#").upper(), "accent4": PRIMARY,
               "accent5": vocab.NO_LEVEL_COLOUR.lstrip("#").upper(), "accent6": "6B7280",
               "hlink": ACCENT, "folHlink": PRIMARY}
    for name, rgb in colours.items():
        slot = scheme.find(qn(f"a:{name}"))
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr"), val=rgb)
    for font in root.iter(qn("a:latin")):
        font.set("typeface", FONT)
    root.find(f".//{qn('a:fontScheme')}").set("name", "Dry Needling Evidence KB")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _text_styles(prs) -> None:
    """Master text styles: titles in the palette's darkest blue, left-aligned; body in ink."""
    from lxml import etree

    styles = prs.slide_master.element.find(qn("p:txStyles"))
    for style_name, size, colour, align in (("titleStyle", 3000, PRIMARY, "l"),
                                            ("bodyStyle", None, INK, None)):
        style = styles.find(qn(f"p:{style_name}"))
        for level in style:
            if align:
                level.set("algn", align)
            rpr = level.find(qn("a:defRPr"))
            if rpr is None:
                continue
            if size:
                rpr.set("sz", str(size))
                rpr.set("b", "1")
            for fill in rpr.findall(qn("a:solidFill")):
                rpr.remove(fill)
            fill = etree.Element(qn("a:solidFill"))
            etree.SubElement(fill, qn("a:srgbClr"), val=colour)
            rpr.insert(0, fill)


def _master_furniture(prs) -> None:
    """A palette band across the top and the disclaimer at the foot of every slide."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Pt

    scratch = prs.slides.add_slide(prs.slide_layouts[LAYOUT["title_only"]])
    band = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, Inches(0.12))
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string(ACCENT)
    band.line.fill.background()
    note = scratch.shapes.add_textbox(Inches(MARGIN), Inches(SLIDE_H - 0.42), Inches(6),
                                      Inches(0.3))
    run = note.text_frame.paragraphs[0].add_run()
    run.text = vocab.DISCLAIMER
    run.font.size, run.font.italic = Pt(11), True
    run.font.color.rgb = RGBColor.from_string("6B7280")
    tree = prs.slide_master.shapes._spTree
    for shape in (band, note):
        tree.append(copy.deepcopy(shape._element))
    _drop_slide(prs, 0)


def _drop_slide(prs, index: int) -> None:
    slides = prs.slides._sldIdLst
    rel = slides[index].get(qn("r:id"))
    prs.part.drop_rel(rel)
    slides.remove(slides[index])


def template():
    """A new 16:9 presentation on the project's theme, with its core properties set."""
    from pptx import Presentation

    prs = Presentation()
    _relayout(prs)
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    _theme(prs)
    _text_styles(prs)
    _master_furniture(prs)
    return prs


def _created() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now, in UTC, to the second."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC))
    return moment.replace(microsecond=0, tzinfo=None)


def _properties(prs, title: str, subject: str) -> None:
    props = prs.core_properties
    props.title, props.subject = title, subject
    props.author = props.last_modified_by = AUTHOR
    props.created = props.modified = _created()
    props.revision = 1
    props.keywords = "dry needling; evidence; GRADE; Summary of Findings"
    props.comments = vocab.DISCLAIMER
    props.category = "Evidence summary"


# --- Slide helpers ---------------------------------------------------------------------------

class Deck:
    """A presentation on the theme, with helpers that fill placeholders and fit their text."""

    def __init__(self) -> None:
        self.prs = template()
        self.font_file = _font_file()

    def slide(self, kind: str, title: str, notes: list[str] | None = None):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT[kind]])
        if kind != "title":
            self.place(slide, slide.shapes.title, MARGIN, 0.3, SLIDE_W - 2 * MARGIN, 0.9)
        slide.shapes.title.text = title
        self.fit(slide.shapes.title, 30, bold=True)
        if notes:
            slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)
        return slide

    def fit(self, shape, max_pt: int, bold: bool = False) -> None:
        """Shrink the shape's text to fit it (fit_text), at most max_pt."""
        shape.text_frame.word_wrap = True
        shape.text_frame.fit_text(font_family=FONT, max_size=max_pt, bold=bold,
                                  font_file=self.font_file)

    def bullets(self, placeholder, items: list[tuple[int, str]], max_pt: int = BODY_MAX_PT
                ) -> None:
        """Paragraphs at their bullet level (0 or 1) in a body placeholder, fitted."""
        frame = placeholder.text_frame
        for i, (level, text) in enumerate(items):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text, para.level = text, level
        self.fit(placeholder, max_pt)

    @staticmethod
    def place(slide, placeholder, left: float, top: float, width: float, height: float):
        placeholder.left, placeholder.top = Inches(left), Inches(top)
        placeholder.width, placeholder.height = Inches(width), Inches(height)
        return placeholder

    @staticmethod
    def remove(placeholder) -> tuple[int, int, int, int]:
        box = (placeholder.left, placeholder.top, placeholder.width, placeholder.height)
        placeholder._element.getparent().remove(placeholder._element)
        return box

    def picture(self, slide, png: bytes, box: tuple[float, float, float, float], alt: str):
        """A picture fitted into the box (inches), centred, with its alt text."""
        from PIL import Image

        left, top, width, height = box
        w, h = Image.open(io.BytesIO(png)).size
        scale = min(width / w, height / h)
        shown_w, shown_h = w * scale, h * scale
        picture = slide.shapes.add_picture(io.BytesIO(png), Inches(left + (width - shown_w) / 2),
                                           Inches(top), Inches(shown_w), Inches(shown_h))
        c_nv_pr = picture._element.nvPicPr.cNvPr
        c_nv_pr.set("descr", alt)
        c_nv_pr.set("name", alt[:60])
        return picture

    def table(self, slide, frame: pd.DataFrame, box: tuple[float, float, float, float],
              widths: list[float], pt: int = TABLE_PT):
        """A table of `frame` (headers = column names) in the theme's table style."""
        from pptx.dml.color import RGBColor
        from pptx.util import Pt

        left, top, width, height = box
        rows, cols = len(frame) + 1, len(frame.columns)
        shape = slide.shapes.add_table(rows, cols, Inches(left), Inches(top), Inches(width),
                                       Inches(min(height, 0.4 * rows)))
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = Inches(w)
        cells = [list(frame.columns), *frame.astype(str).to_numpy().tolist()]
        for i, values in enumerate(cells):
            for j, value in enumerate(values):
                cell = table.cell(i, j)
                cell.text = value
                cell.margin_left = cell.margin_right = Inches(0.06)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                for para in cell.text_frame.paragraphs:
                    for run in para.runs:
                        run.font.size, run.font.bold = Pt(pt), i == 0
                        if i == 0:
                            run.font.color.rgb = RGBColor.from_string("FFFFFF")
                if i == 0:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor.from_string(PRIMARY)
        return shape

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


class Citations:
    """Deck-wide reference numbers, in order of first citation."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def mark(self, reference_id: str) -> str:
        if reference_id not in self.ids:
            self.ids.append(reference_id)
        return f"[{self.ids.index(reference_id) + 1}]"


# --- Slides ----------------------------------------------------------------------------------

def _badge_line(kb: KB, condition_id: str) -> str:
    row = views.condition_row(kb, condition_id)
    if row is None:
        status = views.condition_status(kb, condition_id)
        return summary.standing(kb, condition_id, status)
    windows = ", ".join(vocab.TIME_WINDOW_LABEL.get(w, w)
                        for w in str(row["time_windows"]).split(", "))
    return (views.certainty_text(str(row["best_certainty"]), str(row["certainty_basis"]))
            + f"; supported {windows}")


def _slide_rows(kb: KB, condition_id: str, cites: Citations) -> tuple[pd.DataFrame,
                                                                       pd.DataFrame, list[str]]:
    """(all SoF rows with their reference marks, the rows the slide shows, footnotes)."""
    sof = summary.summary_of_findings(kb, condition_id)
    rows = sof.rows
    if rows.empty:
        return rows, rows, sof.footnotes
    reference = kb.findings.set_index("finding_id")["reference_id"]
    key = summary.key_rows(rows, TABLE_ROWS)
    for finding_id in key["finding_id"]:
        cites.mark(reference[finding_id])
    marks = rows["finding_id"].map(reference).map(
        lambda r: f"[{cites.ids.index(r) + 1}]" if r in cites.ids else "")
    return rows.assign(cite=marks), key.assign(cite=marks.loc[key.index]), sof.footnotes


def _sof_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The slide's Summary of Findings table, one numbered row per finding."""
    comparison = rows["outcome"] + " vs " + rows["comparison"] + ", " + rows["window"]
    effect = summary.effect_cell(rows)
    return pd.DataFrame({
        "#": range(1, len(rows) + 1),
        "Outcome, comparison, time": comparison.to_numpy(),
        "Effect (95% CI)": effect.to_numpy(),
        "Certainty (basis)": (rows["certainty"] + " (" + rows["basis"] + ")").to_numpy(),
        "Review": (rows["review"] + " " + rows["cite"]).to_numpy()})


def _notes(rows: pd.DataFrame, footnotes: list[str], extra: list[str]) -> list[str]:
    """Speaker notes: every finding in words with its numbers, then the footnotes."""
    lines = [f"{r.outcome}, {r.time}, vs {r.comparison}: {r.plain} Effect: {r.effect}"
             f"{' (' + r.effect_words + ')' if r.effect_words else ''}. Certainty: "
             f"{r.certainty} ({r.basis}). {r.review} {r.cite}; studies {r.studies}, "
             f"participants {r.participants}." for r in rows.itertuples()]
    return [*extra, "All findings:", *lines, "Notes:", *footnotes]


def _condition_slide(deck: Deck, kb: KB, condition_id: str, cites: Citations) -> None:
    from kb.figures import forest_figure

    label = str(kb.conditions.set_index("condition_id").at[condition_id, "label"])
    rows, key, footnotes = _slide_rows(kb, condition_id, cites)
    bottom = views.bottom_line(kb, condition_id)
    bottom = bottom.removeprefix(f"{label}: ")
    bottom = bottom[:1].upper() + bottom[1:]
    slide = deck.slide("content", label, _notes(rows, footnotes, [bottom]) if len(rows)
                       else [bottom])
    # fit_text ignores bullet indents and paragraph spacing: leave it a gap above the table
    body = deck.place(slide, slide.placeholders[1], MARGIN, 1.2, SLIDE_W - 2 * MARGIN, 1.45)
    items = [(0, bottom), (1, _badge_line(kb, condition_id))]
    if key.empty:
        note = kb.conditions.set_index("condition_id")["evidence_note"].get(condition_id, "")
        body.height = Inches(4.6)
        if note:
            items.append((1, f"What was found: {note}"))
        deck.bullets(body, items, 24)
        return
    if len(rows) > len(key):
        items.append((1, f"{len(key)} of {len(rows)} findings in the table; all are in the "
                         "speaker notes and on the condition card."))
    deck.bullets(body, items, CONDITION_BODY_PT)
    table = _sof_frame(key)
    forest = summary.forest_rows(key.assign(review=table["#"].astype(str).to_numpy() + ". "
                                            + key["review"]))
    table_w = 7.9 if not forest.empty else SLIDE_W - 2 * MARGIN
    widths = [0.35, 2.35, 2.1, 1.65, 1.45] if not forest.empty else [0.4, 4.2, 3.2, 2.7, 1.83]
    deck.table(slide, table, (MARGIN, 2.95, table_w, 4.0), widths)
    if not forest.empty:
        forest = forest.assign(label=forest["review"] + ", " + forest["outcome"].str.lower())
        png = forest_figure(forest, "png", 4.4, 3.6)
        alt = (f"Forest plot for {label}: " + "; ".join(
            f"{r.label} {r.measure} {r.num_effect:g} (95% CI {r.num_ci_low:g} to "
            f"{r.num_ci_high:g}), certainty {r.level}" for r in forest.itertuples()))
        deck.picture(slide, png, (8.55, 2.95, 4.3, 3.6), alt)


def _safety_slide(deck: Deck, kb: KB, cites: Citations) -> None:
    events = safety_view.adverse_events(kb)
    rates = safety_view.per_treatment(events)
    for ref in rates["reference_id"]:
        cites.mark(ref)
    matrix = safety_view.contraindication_matrix(kb)
    disagree = safety_view.disagreeing(matrix)
    notes = ["Adverse events, every figure as printed:"] + [
        f"{r.group}: {r.event}: {r.figure} ({r.source}; {r.design}). {r.note}"
        for r in events.itertuples()] + ["Contraindications by source:"] + [
        f"{r[safety_view.ITEM]}: " + "; ".join(f"{col} {r[col]}" for col in matrix.columns[1:-1]
                                                if r[col]) + f" ({r[safety_view.VERDICT]})"
        for _, r in matrix.iterrows()]
    slide = deck.slide("two", "Safety: adverse events and contraindications", notes)
    left = deck.place(slide, slide.placeholders[1], MARGIN, 1.25, 5.6, 5.5)
    items = [(0, "Per treatment, in prospective studies:")]
    items += [(1, f"{r.event}: {r.figure} ({r.source} {cites.mark(r.reference_id)})")
              for r in rates.itertuples()]
    items += [(0, f"{safety_view.case_report_count(kb)} case reports of serious events, mostly "
                  "pneumothorax: cases, not rates."),
              (0, f"Sources disagree on {len(disagree)} of {len(matrix)} contraindications; "
                  "no consensus list was found.")]
    deck.bullets(left, items, 18)
    deck.remove(slide.placeholders[2])
    sources = [c for c in matrix.columns[1:-1] if (disagree[c] != "").sum() >= 3][:4]
    if not sources:  # no source disagrees often enough for a table
        return
    shown = disagree[[safety_view.ITEM, *sources]].head(6)
    shown = shown.rename(columns={c: c.replace(" (article)", "") for c in sources})
    box = slide.shapes.add_textbox(Inches(6.4), Inches(1.25), Inches(6.4), Inches(0.4))
    box.text_frame.text = "Where sources disagree (each source's own classification)"
    deck.fit(box, 14, bold=True)
    first = 1.9  # the sources get room for a one-word name such as "physioman.in"
    deck.table(slide, shown, (6.4, 1.75, 6.45, 5.0),
               [first] + [(6.45 - first) / len(sources)] * len(sources), pt=11)


def _map_slide(deck: Deck, kb: KB, condition_ids: list[str]) -> None:
    from kb import catalog
    from kb.cube import evidence_map
    from kb.figures import evidence_map_figure

    frame = evidence_map(catalog.cube(kb))
    chosen = frame[frame["condition_id"].isin(condition_ids)]
    if chosen["condition_id"].nunique() < 2:
        return
    slide = deck.slide("title_only", "Evidence map", [
        "Colour: best certainty of a finding in favour of dry needling (a range between its "
        "ends); size: number of findings. Open grey circles: no supporting finding. "
        "Conditions without a supporting finding with a level are not shown."])
    deck.picture(slide, evidence_map_figure(chosen, "png"), (MARGIN, 1.3, SLIDE_W - 2 * MARGIN,
                                                            5.6),
                 "Evidence map: conditions by time window, coloured by best certainty, sized "
                 "by the number of findings: " + ", ".join(sorted(set(chosen["label"]))))


def _reference_slides(deck: Deck, kb: KB, cites: Citations) -> None:
    """AMA references in citation order, numbered by the placeholder, DOIs linked."""
    from kb.bibliography import format_references

    entries = format_references(kb, cites.ids)
    dois = kb.references.set_index("reference_id")["doi"] if "doi" in kb.references else {}
    pages = [list(range(i, min(i + REFS_PER_SLIDE, len(entries))))
             for i in range(0, len(entries), REFS_PER_SLIDE)]
    for n, page in enumerate(pages):
        slide = deck.slide("content", "References" + (" (continued)" if n else ""),
                           [f"{i + 1}. {entries[i]}" for i in page])
        body = deck.place(slide, slide.placeholders[1], MARGIN, 1.25, SLIDE_W - 2 * MARGIN,
                          5.6)
        frame = body.text_frame
        for k, i in enumerate(page):
            para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            _numbered(para, i + 1)
            doi = dois.get(cites.ids[i], "") if hasattr(dois, "get") else ""
            doi = doi if isinstance(doi, str) else ""
            text = entries[i]
            head, sep, tail = text.partition("doi:" + doi) if doi else (text, "", "")
            para.add_run().text = head
            if sep:
                link = para.add_run()
                link.text = sep
                link.hyperlink.address = doi_url(doi)
                para.add_run().text = tail
        deck.fit(body, 16)


def _numbered(paragraph, number: int) -> None:
    """A numbered paragraph ('1.'), starting at `number`: the placeholder's own numbering."""
    from lxml import etree

    ppr = paragraph._p.get_or_add_pPr()
    for old in ppr.findall(qn("a:buAutoNum")):
        ppr.remove(old)
    etree.SubElement(ppr, qn("a:buAutoNum"), type="arabicPeriod", startAt=str(number))


def build_deck(kb: KB, condition_ids: list[str] | None = None) -> bytes:
    """A .pptx deck on the given conditions (None: every graded condition), as bytes."""
    from kb import catalog
    from kb.cube import query_conditions

    if condition_ids is None:
        condition_ids = query_conditions(catalog.cube(kb))["condition_id"].tolist()
    known = set(kb.conditions["condition_id"])
    unknown = [c for c in condition_ids if c not in known]
    if unknown or not condition_ids:
        raise ValueError(f"unknown condition ids: {', '.join(unknown)}" if unknown
                         else "give at least one condition id")
    condition_ids = list(dict.fromkeys(condition_ids))
    labels = kb.conditions.set_index("condition_id")["label"]
    names = ", ".join(labels[c] for c in condition_ids)
    deck, cites = Deck(), Citations()
    title = "Dry needling: what the evidence says"
    _properties(deck.prs, f"{title}: {names}"[:250], names[:250])
    slide = deck.slide("title", title, [vocab.DISCLAIMER])
    from pptx.enum.text import PP_ALIGN

    slide.shapes.title.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    subtitle = slide.placeholders[1]
    subtitle.text_frame.text = names
    para = subtitle.text_frame.add_paragraph()
    para.text = f"{AUTHOR} · {_created():%d %B %Y} · {vocab.DISCLAIMER}"
    deck.fit(subtitle, 24)
    for para in subtitle.text_frame.paragraphs:
        para.alignment = PP_ALIGN.CENTER
    for condition_id in condition_ids:
        _condition_slide(deck, kb, condition_id, cites)
    _safety_slide(deck, kb, cites)
    _map_slide(deck, kb, condition_ids)
    _reference_slides(deck, kb, cites)
    return deck.bytes()
