"""A content-addressed cache of parsed BibTeX, outside data/.

bibtexparser's splitter is pure Python (about 1.5 s per 20,000 entries). A file that parsed
without problems is cached as an Arrow IPC file under its digest (kb.digest), so an unchanged
references.bib loads in milliseconds (no Parquet decoding, no pyarrow.parquet import). Any
change to the file's bytes is a new key; files with problems are never cached, so their
problems are always reported afresh; an unreadable cache file is parsed afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from kb.columns import STRING_TYPES
from kb.digest import of_bytes
from kb.parse import Parsed, start_bibtex
from kb.paths import cache_dir
from kb.safewrite import atomic_write

VERSION = "3"  # bump when parse_bibtex's output changes


def start_bibtex_cached(data: bytes, text: str, file: str, digest: str = ""
                        ) -> Callable[[], Parsed]:
    """kb.parse.start_bibtex, served from the cache when these exact bytes parsed cleanly
    before (`digest`: theirs, when the caller has it); the function returned gives the
    Parsed and caches a clean result."""
    folder = cache_dir()
    if folder is None:
        return start_bibtex(text, file)
    path = folder / f"bib-{VERSION}-{digest or of_bytes(data)}.arrow"
    try:
        table = pa.ipc.open_file(pa.py_buffer(path.read_bytes())).read_all()
        frame = table.to_pandas(types_mapper=STRING_TYPES.get)
        cached = Parsed(frame.drop(columns="_line"), frame["_line"].astype("int64"), [])
        return lambda: cached
    except (OSError, ValueError, KeyError, pa.ArrowException):
        pass
    pending = start_bibtex(text, file)

    def finish() -> Parsed:
        parsed = pending()
        if not parsed.problems:
            _store(path, parsed)
        return parsed
    return finish


def _store(path: Path, parsed: Parsed) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(parsed.frame.assign(_line=parsed.lines.to_numpy()),
                                     preserve_index=False)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        atomic_write(path, sink.getvalue().to_pybytes())
    except OSError:
        pass  # a read-only home is no reason to fail a load
