"""The compiled snapshot: a validated KB and its computed tables as Parquet files in the cache.

After a load that validated clean, every stored table of the KB (with its graded columns) and
the computed ones (claims with their support status, contradictions, the evidence cube, the
graph's node and edge arrays) are written as Parquet under `$KB_CACHE_DIR/snapshot-*/`. The
next load finds the snapshot by each data file's path, size and mtime (cheap), then trusts it
only if the data files' SHA-256, the kb source code's SHA-256, the size limit and every
snapshot file's own SHA-256 all match. Anything else (stale, truncated, tampered, foreign, a
newer or older kb) is ignored and rebuilt, never trusted. `KB_CACHE_DIR=off` turns it off.
The Parquet files are plain tables, so DuckDB, Spark or Trino can query them directly.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kb import catalog
from kb.cube import Cube
from kb.edges import ORDER, Edges
from kb.load import DEFAULT_DATA
from kb.load import load_with_warnings as fresh_load
from kb.model import KB
from kb.paths import cache_dir, max_file_bytes
from kb.problems import Problem
from kb.safewrite import atomic_write
from kb.schema import DATA_FILES

VERSION = "3"  # bump when the layout of a snapshot changes
MANIFEST = "manifest.json"
CODE = Path(__file__).resolve().parent
FIELDS = [f.name for f in dataclasses.fields(KB) if f.init]
# Computed tables kept beside the stored ones: the catalog's cache names and how to rebuild.
COMPUTED = ("claims", "contradictions")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.cache
def code_hash() -> str:
    """SHA-256 of the kb package's source: a changed rule makes every snapshot stale. Once per
    process (the code a process runs does not change under it)."""
    digest = hashlib.sha256(VERSION.encode())
    for path in sorted(CODE.rglob("*.py")):
        digest.update(path.relative_to(CODE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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


def content_hash(root: Path, files: dict[str, list | None]) -> str:
    """SHA-256 over every present data file's bytes."""
    digest = hashlib.sha256()
    for name, seen in files.items():
        if seen is not None:
            digest.update(name.encode() + b"\0" + _sha256(root / name).encode())
    return digest.hexdigest()


def location(root: Path) -> Path | None:
    """The snapshot folder of a data directory, or None when the cache is off."""
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return folder / f"snapshot-{VERSION}-{key}"


# --- What a snapshot holds -------------------------------------------------------------------

def tables_of(kb: KB) -> dict[str, pd.DataFrame]:
    """Every table a snapshot holds, computed where needed (the catalog caches each in kb)."""
    out = {f"kb.{name}": getattr(kb, name) for name in FIELDS}
    out |= {f"table.{name}": catalog.table(kb, name) for name in COMPUTED}
    cube = catalog.cube(kb)
    out["cube.cells"] = cube.cells
    out["cube.claim_counts"] = cube.claim_counts
    out["cube.findings_per_condition"] = cube.findings_per_condition.rename("n").reset_index()
    out["cube.level_not_stated"] = pd.DataFrame(
        {"condition_id": pd.Series(sorted(cube.level_not_stated), dtype="string")})
    edges = catalog.edges(kb)
    out["edges.nodes"] = pd.DataFrame({"node": edges.nodes.astype("string")})
    out["edges.edges"] = pd.DataFrame({"source": edges.source, "target": edges.target,
                                       "relation": pd.Categorical(edges.relation),
                                       "row": edges.row})
    out["edges.offsets"] = pd.DataFrame({"kind": list(ORDER), "first": [
        edges.offsets[k] for k in ORDER]})
    return out


def kb_of(tables: dict[str, pd.DataFrame]) -> KB:
    """A KB with its catalog cache filled from a snapshot's tables."""
    kb = KB(**{name: tables[f"kb.{name}"] for name in FIELDS})
    for name in COMPUTED:
        kb.derived[f"table:{name}"] = tables[f"table.{name}"]
    per = tables["cube.findings_per_condition"].set_index("condition_id")["n"].rename(None)
    kb.derived["cube"] = Cube(
        cells=tables["cube.cells"], conditions=kb.conditions,
        claim_counts=tables["cube.claim_counts"], findings_per_condition=per,
        level_not_stated=frozenset(tables["cube.level_not_stated"]["condition_id"]))
    e, starts = tables["edges.edges"], tables["edges.offsets"]
    kb.derived["edges"] = Edges(
        pd.Index(tables["edges.nodes"]["node"]), e["source"].to_numpy(), e["target"].to_numpy(),
        e["relation"].to_numpy(dtype=object), e["row"].to_numpy(),
        dict(zip(starts["kind"], starts["first"].tolist(), strict=True)))
    return kb


# --- Reading and writing ---------------------------------------------------------------------

def read(root: Path) -> tuple[KB, list[Problem]] | None:
    """The KB and its read warnings from a matching, intact snapshot; None when there is none
    to trust."""
    folder = location(root)
    if folder is None:
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        files = fingerprint(root)
        limit = max_file_bytes()
        if (manifest.get("version") != VERSION or manifest.get("files") != files
                or any(seen is not None and seen[1] > limit for seen in files.values())
                or manifest.get("code") != code_hash()
                or manifest.get("content") != content_hash(root, files)):
            return None
        tables = {}
        for name, entry in manifest["tables"].items():
            data = (folder / entry["file"]).read_bytes()
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                return None
            tables[name] = pq.read_table(pa.BufferReader(data)).to_pandas()
        return kb_of(tables), [Problem(**w) for w in manifest["warnings"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None  # any damage: rebuild


def write(root: Path, kb: KB, files: dict[str, list | None], content: str,
          warnings: list[Problem] = ()) -> Path | None:
    """Write the snapshot of a validated KB; each file atomically, the manifest last. A cache
    that cannot be written is no reason to fail a load."""
    folder = location(root)
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        entries = {}
        for name, frame in tables_of(kb).items():
            buffer = io.BytesIO()
            frame.to_parquet(buffer)
            data = buffer.getvalue()
            digest = hashlib.sha256(data).hexdigest()
            file = f"{name}-{digest[:16]}.parquet"
            atomic_write(folder / file, data)
            entries[name] = {"file": file, "sha256": digest, "rows": len(frame)}
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


def load_with_warnings(data_dir: str | Path = DEFAULT_DATA) -> tuple[KB, list[Problem]]:
    """The KB of a data directory and its read warnings (a BOM, CRLF line ends): from its
    snapshot when one matches, else read, validated (DataError listing every problem) and
    built, then written as the new snapshot."""
    root = Path(data_dir)
    found = read(root)
    if found is not None:
        return found
    if location(root) is None:
        return fresh_load(root)
    files = fingerprint(root)
    try:
        content = content_hash(root, files)
    except OSError:
        return fresh_load(root)  # a file changed under us: its problem is reported afresh
    kb, warnings = fresh_load(root)
    if fingerprint(root) == files:  # nothing changed while it was read
        write(root, kb, files, content, warnings)
    return kb, warnings


def load(data_dir: str | Path = DEFAULT_DATA) -> KB:
    """The KB of a data directory, from its snapshot when one matches (see load_with_warnings)."""
    return load_with_warnings(data_dir)[0]
