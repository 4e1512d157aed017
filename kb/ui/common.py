"""Shared page furniture: the cached KB, the validation report, URL state, downloads, badges.

Every piece of data that reaches Markdown (headers, captions, info boxes, badges, link labels,
help text) goes through `kb.markdown.escape`, re-exported here as `md`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from kb import catalog, views, vocab
from kb.markdown import escape
from kb.model import KB
from kb.paths import EnvError, check_environment
from kb.paths import data_dir as resolve_data_dir
from kb.problems import DataError
from kb.snapshot import load

md = escape  # the one escaping function for data in Markdown


def badge_label(text: object) -> str:
    """md(text) for st.badge, which escapes square brackets itself."""
    return md(text).replace("\\[", "[").replace("\\]", "]")


def data_dir() -> str:
    """The data directory: $KB_DATA_DIR when set (tests, hostile fixtures), else bundled data."""
    return str(resolve_data_dir().resolve())


@st.cache_resource(show_spinner="Loading the knowledge base…")
def _load(path: str) -> KB:
    return load(path)


@st.cache_resource(show_spinner=False)
def cached(name: str, path: str, _build: Callable[[], Any]) -> Any:
    """A per-process, per-data-dir cache of something derived from the read-only KB."""
    return _build()


def derived(name: str, build: Callable[[KB], Any]) -> Any:
    """`build(kb)` computed once per process for the current data directory."""
    kb = _load(data_dir())
    return cached(name, data_dir(), lambda: build(kb))


# The phone layout, below PHONE_WIDTH pixels of viewport. A page draws the two forms of one
# view in st.container(key="wide_…") and st.container(key="phone_…") (Streamlit gives each the
# class st-key-<key>) and this style shows one; on a phone a table leaves room above it for
# its toolbar, which would cover the line before it.
PHONE_WIDTH = 640
LAYOUT_CSS = f"""<style>
@media (max-width: {PHONE_WIDTH}px) {{
  [class*="st-key-wide_"] {{ display: none; }}
  [data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) {{ margin-top: 1.5rem; }}
}}
@media (min-width: {PHONE_WIDTH + 1}px) {{ [class*="st-key-phone_"] {{ display: none; }} }}
</style>"""


def start(title: str) -> KB | None:
    """Title, the medical-advice note, the layout style, and the KB; None (with the report
    shown) if data is bad."""
    st.html(LAYOUT_CSS)
    st.title(title)
    st.caption(vocab.DISCLAIMER)
    problems = check_environment()
    if problems:
        st.error("The app cannot start: " + " ".join(md(p) for p in problems),
                 icon=":material/folder_off:")
        return None
    try:
        return _load(data_dir())
    except EnvError as error:
        st.error(md(error), icon=":material/folder_off:")
        return None
    except DataError as error:
        st.error(f"The knowledge base did not validate: {len(error.problems)} problem(s). "
                 "Fix the data and reload.")
        report = pd.DataFrame([vars(p) for p in error.problems],
                              columns=["file", "line", "field", "message"])
        st.dataframe(report, hide_index=True)
        return None


def read_state(specs: list[views.ParamSpec], prefix: str) -> dict[str, Any]:
    """Seed widget state from the URL when it differs from what this page last wrote there.

    A reloaded or shared link, or a link from another page, wins over the session's state;
    the page's own reruns keep their widget values. Parameters that don't parse are warned
    about and fall back to defaults.
    """
    values, warnings = views.parse_params(st.query_params.to_dict(), specs)
    for message in warnings:
        st.warning(escape(message), icon=":material/link_off:")
    if views.serialise_params(values, specs) != st.session_state.get(f"{prefix}__url"):
        for spec in specs:
            value = values[spec.name]
            st.session_state[f"{prefix}_{spec.name}"] = (list(value) if spec.kind == "many"
                                                         else value)
    return values


def write_state(specs: list[views.ParamSpec], prefix: str) -> dict[str, Any]:
    """Current widget values, written back to the URL so the view is a permalink."""
    values = {s.name: st.session_state.get(f"{prefix}_{s.name}") for s in specs}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    params = views.serialise_params(values, specs)
    st.query_params.from_dict(params)
    st.session_state[f"{prefix}__url"] = params
    return values


def downloads(frame: pd.DataFrame, name: str) -> None:
    """CSV and XLSX of exactly what is on screen, built on click (the catalog's writers
    neutralise formula cells)."""
    left, right = st.columns(2, width=360)
    for column, fmt in ((left, "csv"), (right, "xlsx")):
        chosen = catalog.TABLE_FORMATS[fmt]
        column.download_button(f"Download {fmt.upper()}",
                               lambda fmt=fmt: catalog.table_bytes(frame, fmt),
                               f"{name}{chosen.suffix}", mime=chosen.mime,
                               key=f"{name}_{fmt}", on_click="ignore")


TALL = 26 * 35 + 3  # pixels: a header and 25 rows of a dataframe


def headers(frame: pd.DataFrame) -> dict:
    """Column configs that show each column under its clinician's header (views.HEADERS)."""
    return {name: st.column_config.Column(views.HEADERS[name]) for name in frame.columns
            if name in views.HEADERS}


def md_link(label: str, url: str) -> str:
    """An escaped Markdown link; plain escaped text unless the address is http or https."""
    from urllib.parse import quote

    if not str(url).lower().startswith(("http://", "https://")):
        return md(label)
    return f"[{md(label, link_text=True)}]({quote(str(url), safe=':/?&=#%~+,;@')})"


def markdown_table(frame: pd.DataFrame, links: dict[str, str] | None = None) -> str:
    """A GFM table of `frame` (its column names are the headers), every cell escaped; a
    column named in `links` becomes link text whose address is in the column it names (only
    http and https addresses are linked). Wrapped text, readable on a phone, and searchable."""
    links = links or {}
    shown = [c for c in frame.columns if c not in set(links.values())]
    body = pd.DataFrame(index=frame.index)
    for column in shown:
        text = frame[column].fillna("").astype(str).str.replace(r"\s+", " ", regex=True)
        body[column] = text.map(md)
        if column in links:
            url = frame[links[column]].fillna("").astype(str)
            body[column] = [md_link(t, u) for t, u in zip(text, url, strict=True)]
    head = "| " + " | ".join(md(c) for c in shown) + " |"
    rule = "|" + "---|" * len(shown)
    rows = ("| " + body.agg(" | ".join, axis=1) + " |").tolist() if len(body) else []
    return "\n".join([head, rule, *rows])


def certainty_badge(label: str, basis: str = "") -> None:
    """A badge with the level and its basis; its hover explains both (a range, both ends)."""
    text = badge_label(views.certainty_text(vocab.CERTAINTY_LABEL.get(label, label), basis))
    meaning = vocab.certainty_meaning(label)
    if basis in vocab.CERTAINTY_BASIS_MEANING:
        meaning += " Basis: " + vocab.CERTAINTY_BASIS_MEANING[basis]
    st.badge(text, color=vocab.Certainty.badge_colour(label), help=escape(meaning))


def window_badge(window: str) -> None:
    st.badge(badge_label(f"Time: {vocab.TIME_WINDOW_LABEL.get(window, window)}"), color="violet",
             help=escape(vocab.TIME_WINDOW_MEANING.get(window, "")))


IDS = views.ParamSpec("ids", "flag", label="show ids")  # every page's "Show ids" URL flag


def show_ids(prefix: str) -> bool:
    """The page's "Show ids" toggle (off by default; its state is the URL flag `IDS`): claim,
    finding and reference ids are for researchers, so a page shows them only when it is on.
    Downloads keep the ids whatever it says."""
    return st.toggle("Show ids", key=f"{prefix}_{IDS.name}",
                     help="Show the knowledge base's ids (claims, findings, references) beside "
                          "the words, for citing a record or finding it in the data files.")


def plural(n: int, word: str) -> str:
    """`1 claim`, `2 claims`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
