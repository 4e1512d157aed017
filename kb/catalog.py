"""The catalog: every table the KB stores or computes, every output format and its writer.

The CLI's choices, help and dispatch, the data package, `kb stats`, the app's downloads and the
docs test all read this module. Adding a table is one `Table` entry in `TABLES`; adding a format
is one `Format` entry plus its writer function. Everything computed from a KB is built once per
KB (`derived`) and kept in the KB's own cache.

It sits above the model and the analytics (which it imports inside functions, so `kb --help`
stays instant) and names the writers by `module:function`; the exporters, `kb stats`, the CLI and
the app read it. No module it imports may import it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kb.schema import BY_NAME

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from kb.cube import Cube
    from kb.edges import Edges
    from kb.model import KB


def derived(kb: KB, name: str, build: Callable[[KB], Any]) -> Any:
    """`build(kb)`, computed once per KB and kept in its cache under `name` (kb.model.kept)."""
    from kb.model import kept

    return kept(kb, name, build)


# --- Computed artefacts ----------------------------------------------------------------------

def cube(kb: KB) -> Cube:
    """The evidence cube of a KB (kb.cube), built once."""
    from kb.cube import build_cube

    return derived(kb, "cube", build_cube)


def graph(kb: KB) -> nx.MultiDiGraph:
    """The citation graph of a KB (kb.graph), built once."""
    from kb.graph import build_graph

    return derived(kb, "graph", build_graph)


def edges(kb: KB) -> Edges:
    """The citation graph of a KB as edge arrays (kb.edges), built once."""
    from kb.edges import build_edges

    return derived(kb, "edges", build_edges)


def _claims(kb: KB) -> pd.DataFrame:
    from kb.status import support_status

    return kb.claims.join(support_status(kb))


def _evidence_map(kb: KB) -> pd.DataFrame:
    from kb.cube import evidence_map

    return evidence_map(cube(kb))


def _contradictions(kb: KB) -> pd.DataFrame:
    from kb.contradictions import find_contradictions

    return find_contradictions(kb)


def _stored(attribute: str) -> Callable[[KB], pd.DataFrame]:
    def build(kb: KB) -> pd.DataFrame:
        return getattr(kb, attribute)

    build.__doc__ = f"The stored `{attribute}` table."
    return build


# --- Tables ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """One table of the KB as users see it: `kb export NAME`, a data-package resource, a line of
    `kb stats`, an app download. `build` returns the frame; `key` is its primary key."""

    name: str
    description: str
    key: tuple[str, ...]
    build: Callable[[KB], pd.DataFrame] | None = None
    stored: bool = True
    package: bool = True
    stats: bool = True

    @property
    def ident(self) -> str:
        """The Python and data-package spelling: `claim_findings` for `claim-findings`."""
        return self.name.replace("-", "_")

    def frame(self, kb: KB) -> pd.DataFrame:
        """The table of a KB, built once per KB; `attrs["table"]` names it (kb.typed reads it)."""
        frame = derived(kb, f"table:{self.name}", self.build or _stored(self.ident))
        frame.attrs["table"] = self.ident
        return frame

    def count(self, kb: KB) -> int:
        """Number of rows; a stored table is counted without computing its extra columns, and
        without reading it when the KB's cache already knows its rows (`rows:claims`, filled
        by a snapshot from its manifest)."""
        if self.stored and f"rows:{self.ident}" in kb.derived:
            return kb.derived[f"rows:{self.ident}"]
        stored = getattr(kb, self.ident, None) if self.stored else None
        return len(stored if stored is not None else self.frame(kb))


def _from_schema(name: str, build: Callable[[KB], pd.DataFrame] | None = None) -> Table:
    """A stored table whose description and key are declared in kb.schema."""
    declared = BY_NAME[name.replace("-", "_")]
    return Table(name, declared.description, declared.key, build)


TABLES: list[Table] = [
    _from_schema("sources"),
    Table("claims", "Claims with their graded certainty, time window and support status.",
          BY_NAME["claims"].key, _claims),
    Table("references", "Bibliographic references (from references.bib).", ("reference_id",)),
    _from_schema("findings"),
    _from_schema("conditions"),
    Table("evidence-map", "Condition x time window: best certainty and number of findings.",
          ("condition_id", "time_window"), _evidence_map, stored=False, package=False,
          stats=False),
    Table("contradictions", "Computed contradictions between the articles' assertions.",
          ("subject", "attribute", "claim_a", "claim_b"), _contradictions, stored=False,
          package=False, stats=False),
    _from_schema("claim-findings"),
    _from_schema("assertions"),
    _from_schema("source-references"),
    _from_schema("reference-links"),
    _from_schema("status-overrides"),
    _from_schema("safety-figures"),
    _from_schema("contraindication-items"),
    _from_schema("contraindications"),
    _from_schema("claim-safety"),
]


def table_names() -> list[str]:
    """Every table's export name, in catalog order."""
    return [t.name for t in TABLES]


def entry(name: str) -> Table:
    """The catalog entry of a table by its export name (`claim-findings` or `claim_findings`)."""
    for t in TABLES:
        if name in (t.name, t.ident):
            return t
    raise KeyError(f"unknown table {name!r}; choose from {', '.join(table_names())}")


def table(kb: KB, name: str) -> pd.DataFrame:
    """A table of a KB by its export name, built once per KB."""
    return entry(name).frame(kb)


# --- Formats ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Format:
    """One output format: its name, its writer (`module:function`, imported when used), the
    file suffix and MIME type."""

    name: str
    writer: str
    suffix: str
    mime: str
    markdown: bool = False  # the writer can also give Markdown (`--markdown`)
    stream: str = ""  # graphs: writer(kb, handle) streaming the whole KB's graph from its tables

    def load(self, writer: str = "") -> Callable[..., Any]:
        """The writer function (or another `module:function` of this format, e.g. `stream`)."""
        module, function = (writer or self.writer).split(":")
        return getattr(importlib.import_module(module), function)


def _formats(*formats: Format) -> dict[str, Format]:
    return {f.name: f for f in formats}


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Tables: writer(frame, binary handle).
TABLE_FORMATS = _formats(
    Format("csv", "kb.export:write_csv", ".csv", "text/csv"),
    Format("xlsx", "kb.export:write_xlsx", ".xlsx", XLSX_MIME),
    Format("parquet", "kb.export:write_parquet", ".parquet", "application/vnd.apache.parquet"),
    Format("json", "kb.export:write_json", ".json", "application/json"),
)
# The bibliography: writer(kb) -> str, or writer(kb, markdown) where `markdown` is set.
BIBLIOGRAPHY_FORMATS = _formats(
    Format("bibtex", "kb.bibliography:bibtex", ".bib", "application/x-bibtex"),
    Format("ris", "kb.bibliography:ris", ".ris", "application/x-research-info-systems"),
    Format("csl-json", "kb.bibliography:csl_json", ".json", "application/vnd.citationstyles"
           ".csl+json"),
    Format("ama", "kb.bibliography:ama", ".txt", "text/plain", markdown=True),
    Format("vancouver", "kb.bibliography:vancouver", ".txt", "text/plain", markdown=True),
)
# The graph: writer(graph) -> bytes.
GRAPH_FORMATS = _formats(
    Format("graphml", "kb.graphio:graphml", ".graphml", "application/graphml+xml",
           stream="kb.graphio:stream_graphml"),
    Format("gexf", "kb.graphio:gexf", ".gexf", "application/gexf+xml",
           stream="kb.graphio:stream_gexf"),
    Format("json", "kb.graphio:node_link_json", ".json", "application/json"),
    Format("cytoscape", "kb.graphio:cytoscape_json", ".cyjs", "application/json"),
    Format("d3", "kb.graphio:d3_json", ".json", "application/json"),
)
# Targets of `kb export` beyond the tables, each with its formats (none: written by the target's
# own writer to the path given, see TARGET_WRITERS).
TARGET_FORMATS: dict[str, dict[str, Format]] = {
    "bibliography": BIBLIOGRAPHY_FORMATS, "graph": GRAPH_FORMATS, "datapackage": {},
    "sqlite": {}, "fhir": {}}
# Targets written whole to a path: writer(kb, path) -> the path written.
TARGET_WRITERS = _formats(
    Format("datapackage", "kb.datapackage:write_datapackage", "", "application/json"),
    Format("sqlite", "kb.sqlitedb:write_sqlite", ".sqlite", "application/vnd.sqlite3"),
    Format("fhir", "kb.fhir:write_fhir", ".json", "application/fhir+json"),
)


# The report of a text check (`kb check`, the "Check a text" page): writer(report, handle,
# title).
CHECK_FORMATS = _formats(
    Format("csv", "kb.checkreport:write_csv_report", ".csv", "text/csv"),
    Format("json", "kb.checkreport:write_json_report", ".json", "application/json"),
    Format("markdown", "kb.checkreport:write_markdown_report", ".md", "text/markdown"),
    Format("html", "kb.checkreport:write_html_report", ".html", "text/html"),
)


def check_report(report: pd.DataFrame, fmt: str, title: str = "") -> bytes:
    """A text check's report in a check format."""
    import io

    if fmt not in CHECK_FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(CHECK_FORMATS)}")
    buffer = io.BytesIO()
    CHECK_FORMATS[fmt].load()(report, buffer, title)
    return buffer.getvalue()


def write_table(frame: pd.DataFrame, fmt: str, handle: Any) -> None:
    """Stream one table into a binary handle in a catalog format."""
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(TABLE_FORMATS)}")
    TABLE_FORMATS[fmt].load()(frame, handle)


def table_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """One table serialised in memory (app downloads, `kb query --format`)."""
    import io

    buffer = io.BytesIO()
    write_table(frame, fmt, buffer)
    return buffer.getvalue()


def bibliography(kb: KB, fmt: str, markdown: bool = False) -> str:
    """Every reference in a bibliography format."""
    if fmt not in BIBLIOGRAPHY_FORMATS:
        raise ValueError(f"unknown bibliography format {fmt!r}; choose from "
                         f"{', '.join(BIBLIOGRAPHY_FORMATS)}")
    chosen = BIBLIOGRAPHY_FORMATS[fmt]
    writer = chosen.load()
    return writer(kb, markdown) if chosen.markdown else writer(kb)


def write_graph(network: nx.MultiDiGraph, fmt: str) -> bytes:
    """A graph in a graph format."""
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose from {', '.join(GRAPH_FORMATS)}")
    return GRAPH_FORMATS[fmt].load()(network)


def graph_export(kb: KB, fmt: str) -> bytes | Callable[[Any], None]:
    """The whole citation graph of a KB in a graph format: a function streaming it into a
    binary handle from the KB's tables (GraphML, GEXF), or the bytes of the networkx graph."""
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose from {', '.join(GRAPH_FORMATS)}")
    chosen = GRAPH_FORMATS[fmt]
    if chosen.stream:
        stream = chosen.load(chosen.stream)
        return lambda handle: stream(kb, handle)
    return write_graph(graph(kb), fmt)
