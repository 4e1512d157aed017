"""The compiled snapshot: a validated KB and its computed tables as Parquet files in the cache.

After a load that validated clean, every stored table of the KB (with its graded columns) and
the computed ones (claims with their support status, contradictions, the evidence cube, the
graph's node and edge arrays) are written as Parquet under `$KB_CACHE_DIR/snapshot-*/`. The
next load finds the snapshot by each data file's path, size and mtime (cheap), then trusts it
only if the data files' digest, the kb source code's digest, the size limit and every
snapshot file's own digest all match (BLAKE3, kb.digest). Anything else (stale, truncated,
tampered, foreign, a newer or older kb) is ignored and rebuilt, never trusted.
`KB_CACHE_DIR=off` turns it off. A trusted snapshot is served as a `SnapshotKB`, which parses
each table when it is first used, so a command pays only for the tables it reads, and reads
only the row groups that hold the rows it asks for (`kb.rows`); a file whose inode, size or
mtime changed since it was trusted is not read.
The files are uncompressed (they decode in half the time of snappy pages; dictionary pages
keep them small) plain Parquet tables, so DuckDB, Spark or Trino can query them directly."""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import os
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kb import digest
from kb.columns import STRING_TYPES, THREADS_FROM_BYTES
from kb.model import KB
from kb.paths import BUNDLED_DATA, cache_dir, max_file_bytes
from kb.problems import Problem
from kb.schema import DATA_FILES

if TYPE_CHECKING:
    from kb.cube import Cube
    from kb.edges import Edges

VERSION = "5"  # bump when the layout of a snapshot changes
MANIFEST = "manifest.json"
ROW_GROUP_ROWS = 1 << 16  # a few rows are read from the row groups that hold them
CODE = Path(__file__).resolve().parent
FIELDS = [f.name for f in dataclasses.fields(KB) if f.init]
# Computed tables kept beside the stored ones: the catalog's cache names and how to rebuild.
COMPUTED = ("claims", "contradictions")
NAMES = frozenset({*(f"kb.{name}" for name in FIELDS), *(f"table.{name}" for name in COMPUTED),
                   "cube.cells", "cube.claim_counts", "cube.findings_per_condition",
                   "cube.level_not_stated", "edges.nodes", "edges.edges", "edges.offsets"})


@functools.cache
def code_hash() -> str:
    """The digest of the kb package's source: a changed rule makes every snapshot stale. Once
    per process (the code a process runs does not change under it)."""
    parts = [VERSION.encode()]
    for path in sorted(CODE.rglob("*.py")):
        parts += [path.relative_to(CODE).as_posix().encode(), path.read_bytes()]
    return digest.of_parts(parts)


def fingerprint(root: Path) -> dict[str, list | None]:
    """Per data file: [resolved path, size, mtime_ns], or None where it is missing."""
    found: dict[str, list | None] = {}
    for name in DATA_FILES:
        path = root / name
        try:
            st = path.stat()
        except OSError:
            found[name] = None
            continue
        found[name] = [str(path.resolve()), st.st_size, st.st_mtime_ns]
    return found


def combined(digests: dict[str, str]) -> str:
    """One digest over each data file's name and digest, in DATA_FILES order."""
    return digest.of_parts([part for name in DATA_FILES if digests.get(name)
                            for part in (name.encode(), digests[name].encode())])


def content_hash(root: Path, files: dict[str, list | None]) -> str:
    """The combined digest of every present data file, read from disk."""
    return combined({name: digest.of_file(root / name) for name, seen in files.items()
                     if seen is not None})


def location(root: Path) -> Path | None:
    """The snapshot folder of a data directory, or None when the cache is off."""
    folder = cache_dir()
    if folder is None:
        return None
    key = digest.of_bytes(str(root.resolve()).encode())[:24]
    return folder / f"snapshot-{VERSION}-{key}"


# --- What a snapshot holds -------------------------------------------------------------------

def tables_of(kb: KB) -> dict[str, pd.DataFrame]:
    """Every table a snapshot holds, computed where needed (the catalog caches each in kb)."""
    from kb import catalog
    from kb.edges import ORDER

    out = {f"kb.{name}": getattr(kb, name) for name in FIELDS}
    out |= {f"table.{name}": catalog.table(kb, name) for name in COMPUTED}
    claims = out["table.claims"]  # kb.claims and the status columns: only those are stored
    out["table.claims"] = claims[claims.columns.difference(kb.claims.columns, sort=False)]
    cube = catalog.cube(kb)
    out["cube.cells"] = cube.cells
    out["cube.claim_counts"] = cube.claim_counts
    out["cube.findings_per_condition"] = cube.findings_per_condition.rename("n").reset_index()
    out["cube.level_not_stated"] = pd.DataFrame(
        {"condition_id": pd.Series(sorted(cube.level_not_stated), dtype="string")})
    edges = catalog.edges(kb)
    out["edges.nodes"] = pd.DataFrame({"node": edges.nodes.astype("string")})
    out["edges.edges"] = pd.DataFrame({"source": edges.source, "target": edges.target,
                                       "relation": edges.relation,
                                       "row": edges.row})
    out["edges.offsets"] = pd.DataFrame({"kind": list(ORDER), "first": [
        edges.offsets[k] for k in ORDER]})
    return out


def _cube(kb: KB, read: Callable[[str], pd.DataFrame]) -> Cube:
    from kb.cube import Cube

    per = read("cube.findings_per_condition").set_index("condition_id")["n"].rename(None)
    return Cube(cells=read("cube.cells"), conditions=kb.conditions,
                claim_counts=read("cube.claim_counts"), findings_per_condition=per,
                level_not_stated=frozenset(read("cube.level_not_stated")["condition_id"]))


def _edges(read: Callable[[str], pd.DataFrame]) -> Edges:
    from kb.edges import Edges

    e, starts = read("edges.edges"), read("edges.offsets")
    return Edges(pd.Index(read("edges.nodes")["node"]), e["source"].to_numpy(),
                 e["target"].to_numpy(), e["relation"].array,
                 e["row"].to_numpy(), dict(zip(starts["kind"], starts["first"].tolist(),
                                               strict=True)))


class _Derived(dict):
    """The catalog cache of a snapshot's KB: a computed table (`table:claims`, `cube`,
    `edges`) is read from the snapshot when the catalog first asks for it."""

    def __init__(self, pending: dict[str, Callable[[], object]]) -> None:
        super().__init__()
        self.pending = pending

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name) or name in self.pending

    def __missing__(self, name: str) -> object:
        if name not in self.pending:
            raise KeyError(name)
        self[name] = self.pending[name]()
        return self[name]


class SnapshotKB(KB):
    """A KB whose tables are read from its snapshot when first used (a command reads only the
    tables it needs). Values equal those of the KB the snapshot was written from."""

    def __getattr__(self, name: str) -> pd.DataFrame:
        read = self.__dict__.get("_read")
        if read is None or name not in FIELDS:
            raise AttributeError(name)
        frame = read(f"kb.{name}")
        object.__setattr__(self, name, frame)
        return frame

    def rows(self, name: str, positions: Sequence[int]) -> pd.DataFrame:
        """The rows of table `name` at `positions`; from the row groups that hold them when
        the table has not been read whole."""
        if name in self.__dict__ or name not in FIELDS:
            return super().rows(name, positions)
        return self.__dict__["_rows"](f"kb.{name}", np.asarray(positions, dtype="int64"))

    def with_tables(self, **tables: pd.DataFrame) -> KB:
        """This KB with some tables swapped, and a cache of its own; the tables not swapped
        are still read only when used."""
        if unknown := set(tables) - set(FIELDS):
            raise TypeError(f"not a KB table: {', '.join(sorted(unknown))}")
        kb = object.__new__(SnapshotKB)
        for name, value in {**self.__dict__, **tables, "derived": {}}.items():
            object.__setattr__(kb, name, value)
        return kb


def kb_of(read: Callable[[str], pd.DataFrame], rows: dict[str, int],
          take: Callable[[str, np.ndarray], pd.DataFrame]) -> KB:
    """A KB that reads each table (`kb.claims`, `cube.cells`, ...) with `read` when used, and
    some rows of one with `take`; its cache knows each stored table's number of rows
    (`rows:claims`) without reading it. The cache refers back to the KB weakly, so a KB
    no longer used is freed at once, not at the next cycle collection."""
    kb = object.__new__(SnapshotKB)
    object.__setattr__(kb, "_read", read)
    object.__setattr__(kb, "_rows", take)
    me = weakref.ref(kb)
    pending = {f"rows:{name}": functools.partial(rows.__getitem__, f"kb.{name}")
               for name in FIELDS}
    pending |= {f"table:{name}": functools.partial(read, f"table.{name}") for name in COMPUTED}
    pending["table:claims"] = lambda: me().claims.join(read("table.claims"))
    pending["cube"] = lambda: _cube(me(), read)
    pending["edges"] = lambda: _edges(read)
    object.__setattr__(kb, "derived", _Derived(pending))
    return kb


# --- Reading and writing ---------------------------------------------------------------------

def _parquet(path: Path) -> pd.DataFrame:
    """One table; Arrow strings mapped straight to pandas' (not through the stored pandas
    metadata), and threads only for a file big enough to repay starting them. After a big
    file, the memory its decoding freed goes back to the system (Arrow's allocator would keep
    it: at 1M claims a warm load held about 150 MB more)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    big = path.stat().st_size > THREADS_FROM_BYTES
    frame = pq.ParquetFile(str(path), memory_map=True).read(use_threads=big).to_pandas(
        types_mapper=STRING_TYPES.get, use_threads=big)
    if big:
        pa.default_memory_pool().release_unused()
    return frame


def _parquet_rows(path: Path, positions: np.ndarray) -> pd.DataFrame:
    """Rows of a stored KB table (a RangeIndex frame) at `positions`, labelled by position;
    only the row groups holding them are read."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(str(path), memory_map=True)
    sizes = np.array([file.metadata.row_group(i).num_rows for i in range(file.num_row_groups)],
                     dtype="int64")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    if len(positions) and (positions.min() < 0 or positions.max() >= starts[-1]):
        raise IndexError(f"{path.name}: row positions outside 0..{starts[-1] - 1}")
    group = np.searchsorted(starts, positions, side="right") - 1
    groups = np.unique(group)
    table = (file.read_row_groups(groups.tolist(), use_threads=False) if len(groups)
             else file.schema_arrow.empty_table())
    read_from = np.concatenate([[0], np.cumsum(sizes[groups])[:-1]]).astype("int64")
    local = positions - starts[group] + read_from[np.searchsorted(groups, group)]
    frame = table.take(local).to_pandas(types_mapper=STRING_TYPES.get, use_threads=False)
    frame.index = pd.Index(positions, dtype="int64")
    return frame


def _identity(path: Path) -> tuple[int, int, int]:
    """What tells a file apart from the one that was checked: inode, size, mtime."""
    st = os.stat(path)
    return st.st_ino, st.st_size, st.st_mtime_ns


def _trusted(folder: Path, tables: dict) -> dict[str, tuple[int, int, int]] | None:
    """Each snapshot file's identity, when every file's digest matches its manifest entry."""
    seen = {}
    for name, entry in tables.items():
        path = folder / entry["file"]
        seen[name] = _identity(path)
        if digest.of_own_file(path) != entry["digest"] or _identity(path) != seen[name]:
            return None
    return seen


def _reader(root: Path, folder: Path, manifest: dict, seen: dict[str, tuple[int, int, int]]
            ) -> tuple[Callable[[str], pd.DataFrame], Callable[[str, np.ndarray], pd.DataFrame]]:
    """Reads one snapshot table, once, or some of its rows, if its file is still the one whose
    digest was checked (same inode, size and mtime). A file gone or changed since the
    snapshot was trusted (another process rebuilt it) is computed afresh from the data, if
    the data is still what the snapshot was built from."""
    tables = manifest["tables"]

    @functools.cache
    def fresh() -> dict[str, pd.DataFrame]:
        from kb.load import load_raw

        kb, raw = load_raw(root)
        if combined(raw.digests) != manifest["content"]:
            raise OSError(f"{root}: the data changed while its KB was in use; load it again")
        return tables_of(kb)

    def from_file(name: str, parse: Callable[[Path], pd.DataFrame]) -> pd.DataFrame | None:
        """`parse` of the table's file while it is the one trusted; None when it is not."""
        path = folder / tables[name]["file"]
        try:
            if _identity(path) == seen[name]:
                return parse(path)
        except OSError:
            pass
        return None

    @functools.cache
    def read(name: str) -> pd.DataFrame:
        frame = from_file(name, _parquet)
        return fresh()[name] if frame is None else frame

    def take(name: str, positions: np.ndarray) -> pd.DataFrame:
        frame = from_file(name, functools.partial(_parquet_rows, positions=positions))
        return fresh()[name].iloc[positions] if frame is None else frame

    return read, take


def read(root: Path) -> tuple[KB, list[Problem]] | None:
    """The KB and its read warnings from a matching, intact snapshot; None when there is none
    to trust. Every snapshot file is checked against its digest here; a table is parsed when
    first used."""
    folder = location(root)
    if folder is None:
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        files = fingerprint(root)
        limit = max_file_bytes()
        tables = manifest["tables"]
        if (manifest.get("version") != VERSION or manifest.get("files") != files
                or any(seen is not None and seen[1] > limit for seen in files.values())
                or manifest.get("code") != code_hash()
                or set(tables) != NAMES
                or manifest.get("content") != content_hash(root, files)):
            return None
        seen = _trusted(folder, tables)
        if seen is None:
            return None
        warnings = [Problem(**w) for w in manifest["warnings"]]
        rows = {name: int(entry["rows"]) for name, entry in tables.items()}
        read_table, take = _reader(root, folder, manifest, seen)
        return kb_of(read_table, rows, take), warnings
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None  # any damage: rebuild


def write(root: Path, kb: KB, files: dict[str, list | None], content: str,
          warnings: list[Problem] = ()) -> Path | None:
    """Write the snapshot of a validated KB; each file atomically, the manifest last. A cache
    that cannot be written is no reason to fail a load."""
    from kb.safewrite import atomic_write

    folder = location(root)
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        entries = {}
        for name, frame in tables_of(kb).items():
            buffer = io.BytesIO()
            frame.to_parquet(buffer, compression=None, row_group_size=ROW_GROUP_ROWS)
            data = buffer.getvalue()
            own = digest.of_bytes(data)
            file = f"{name}-{own[:16]}.parquet"
            atomic_write(folder / file, data)
            entries[name] = {"file": file, "digest": own, "rows": len(frame)}
        manifest = {"version": VERSION, "code": code_hash(), "files": files,
                    "content": content, "tables": entries,
                    "warnings": [dataclasses.asdict(w) for w in warnings]}
        atomic_write(folder / MANIFEST, json.dumps(manifest, indent=1).encode())
        kept = {e["file"] for e in entries.values()} | {MANIFEST}
        for old in folder.iterdir():
            if old.name not in kept and old.suffix == ".parquet":
                old.unlink(missing_ok=True)
    except OSError:
        return None
    return folder


def load_with_warnings(data_dir: str | Path = BUNDLED_DATA) -> tuple[KB, list[Problem]]:
    """The KB of a data directory and its read warnings (a BOM, CRLF line ends): from its
    snapshot when one matches, else read, validated (DataError listing every problem) and
    built, then written as the new snapshot (keyed by the digest of the bytes just read:
    each data file is read once)."""
    root = Path(data_dir)
    found = read(root)
    if found is not None:
        return found
    from kb.load import load_raw

    files = fingerprint(root)
    kb, raw = load_raw(root)
    if location(root) is not None and fingerprint(root) == files:  # nothing changed meanwhile
        write(root, kb, files, combined(raw.digests), raw.warnings)
    return kb, raw.warnings


def load(data_dir: str | Path = BUNDLED_DATA) -> KB:
    """The KB of a data directory, from its snapshot when one matches (see load_with_warnings)."""
    return load_with_warnings(data_dir)[0]
