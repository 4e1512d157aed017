"""The report of a text check (kb.textcheck) as CSV, JSON, Markdown or standalone HTML.

Every format carries the same columns; Markdown and HTML put a summary on top (how many
sentences are overstated, unsupported or contradicted), say that the check is automatic, name
the sentences it could not classify, and say: evidence information, not medical advice.
Text from the checked document is escaped everywhere (Markdown: kb.markdown.escape; HTML:
html.escape), so no markup from it can render.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import BinaryIO

import pandas as pd

from kb import vocab
from kb.export import write_csv
from kb.markdown import escape
from kb.textcheck import COLUMNS, unclassified

AUTOMATIC = ("This report was made automatically, by rules, from the sentences of the text; a "
             "curator has not reviewed it. A status compares the wording of a sentence with "
             "the findings, adverse-event figures, contraindication sources and curated "
             "articles in the KB; it is not a judgement of the text as a whole.")


def _table(report: pd.DataFrame) -> pd.DataFrame:
    return report[COLUMNS].astype({"sentence_no": "int64"})


def counts(report: pd.DataFrame) -> dict[str, int]:
    """Sentences per status, every status in the vocabulary's order."""
    seen = report["status"].value_counts()
    return {s: int(seen.get(s, 0)) for s in vocab.SupportStatus.values()}


def headline(report: pd.DataFrame) -> str:
    """'3 overstated, 1 unsupported, 0 contradicted of 12 sentences'."""
    n = counts(report)
    flagged = ", ".join(f"{n[s]} {s}" for s in vocab.FLAGGED_STATUSES)
    return f"{flagged} of {len(report)} sentences"


def write_csv_report(report: pd.DataFrame, handle: BinaryIO, title: str = "") -> None:
    """One row per sentence, the report's columns (cells a spreadsheet would run are defused)."""
    write_csv(_table(report), handle)


def write_json_report(report: pd.DataFrame, handle: BinaryIO, title: str = "") -> None:
    """{"title", "automatic", "notice", "summary", "unclassified", "sentences": [...]}."""
    table = _table(report)
    body = {"title": title, "automatic": AUTOMATIC, "notice": vocab.DISCLAIMER,
            "summary": counts(report),
            "unclassified": [int(n) for n in unclassified(report)["sentence_no"]],
            "sentences": json.loads(table.to_json(orient="records", force_ascii=False))}
    handle.write(json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))


@dataclass(frozen=True)
class Row:
    """One sentence of a report as both renderers show it, in words (not yet escaped)."""

    section: str | None  # the heading to open before it; None when its section goes on
    number: int
    status: str
    colour: str
    sentence: str
    details: tuple[str, ...]  # "topic efficacy", "wording low ('may')", "certainty low"...
    rationale: str


def rows(report: pd.DataFrame) -> list[Row]:
    """The report's sentences as rows, each opening its section when the section changes."""
    out, section = [], None
    for row in report.itertuples(index=False):
        opens = (row.section or "Untitled section") if row.section != section else None
        section = row.section
        details = [f"topic {vocab.TOPIC_LABEL.get(row.topic, row.topic)}",
                   f"wording {vocab.WORDING_LABEL.get(row.wording_strength, '')}"]
        details += [f"{name} {value}" for name, value in (
            ("conditions", row.conditions),
            ("certainty", row.certainty), ("numbers", row.numbers)) if value]
        out.append(Row(opens, int(row.sentence_no), vocab.STATUS_LABEL[row.status],
                       vocab.STATUS_COLOUR[row.status], row.sentence, tuple(details),
                       row.rationale))
    return out


def _heading(title: str) -> str:
    return f"Evidence check{': ' + title if title else ''}"


def _unclassified(report: pd.DataFrame) -> list[tuple[int, str]]:
    missing = unclassified(report)
    return [(int(no), text) for no, text in zip(missing["sentence_no"], missing["sentence"],
                                                strict=True)]


def markdown(report: pd.DataFrame, title: str = "") -> str:
    """A readable report: summary, honest limits, then every sentence with its status."""
    lines = [f"# {escape(_heading(title))}", "", f"**{escape(headline(report))}.**", "",
             f"> {escape(vocab.DISCLAIMER)}", "", escape(AUTOMATIC), "",
             "| status | sentences |", "|---|---|"]
    lines += [f"| {escape(vocab.STATUS_LABEL[s])} | {n} |" for s, n in counts(report).items()]
    lines += ["", "## Sentences it could not classify", ""]
    lines += [f"- {no}. {escape(text)}" for no, text in _unclassified(report)] or ["None."]
    lines += ["", "## Sentence by sentence", ""]
    for row in rows(report):
        if row.section is not None:
            lines += [f"### {escape(row.section)}", ""]
        lines += [f"{row.number}. **{escape(row.status)}**: {escape(row.sentence)}",
                  f"   - {escape('; '.join(row.details))}", f"   - why: {escape(row.rationale)}",
                  ""]
    lines.append(f"*{escape(vocab.DISCLAIMER)}*")
    return "\n".join(lines) + "\n"


def write_markdown_report(report: pd.DataFrame, handle: BinaryIO, title: str = "") -> None:
    handle.write(markdown(report, title).encode("utf-8"))


CSS = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
       "padding:0 1rem;line-height:1.5}.s{border-left:.4rem solid;padding:.3rem .6rem;"
       "margin:.4rem 0}.tag{font-weight:600}.why{color:#333;font-size:.9em}"
       "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}")


def page(report: pd.DataFrame, title: str = "") -> str:
    """A standalone HTML page: no script, no external resource, every text escaped."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
           'style-src \'unsafe-inline\'">',
           f"<title>{e(_heading(title))}</title>", f"<style>{CSS}</style></head><body>",
           f"<h1>{e(_heading(title))}</h1>", f"<p><strong>{e(headline(report))}.</strong></p>",
           f"<p><strong>{e(vocab.DISCLAIMER)}</strong> {e(AUTOMATIC)}</p>",
           "<table><tr><th>status</th><th>sentences</th></tr>"]
    out += [f"<tr><td>{e(vocab.STATUS_LABEL[s])}</td><td>{n}</td></tr>"
            for s, n in counts(report).items()]
    out.append("</table><h2>Sentences it could not classify</h2><ul>")
    out += [f"<li>{no}. {e(text)}</li>" for no, text in _unclassified(report)] or [
        "<li>None.</li>"]
    out.append("</ul><h2>Sentence by sentence</h2>")
    for row in rows(report):
        if row.section is not None:
            out.append(f"<h3>{e(row.section)}</h3>")
        out.append(f'<div class="s" style="border-color:{row.colour}">'
                   f'<span class="tag">{e(row.status)}</span> {row.number}. {e(row.sentence)}'
                   f'<div class="why">{e("; ".join(row.details))}: {e(row.rationale)}</div>'
                   "</div>")
    out.append(f"<p><em>{e(vocab.DISCLAIMER)}</em></p></body></html>")
    return "\n".join(out) + "\n"


def write_html_report(report: pd.DataFrame, handle: BinaryIO, title: str = "") -> None:
    handle.write(page(report, title).encode("utf-8"))
