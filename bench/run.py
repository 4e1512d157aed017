"""Benchmark runner: median and p95 per operation per KB size, beside SQLite, against targets.

    python bench/run.py --sizes 1k,10k,100k,1M [--repeat N] [--json bench/results/last.json]

Each size is generated with bench/synth.py into a temporary directory and measured in its own
child process, so peak RSS is per size. The app is measured in a second child process.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from synth import parse_size, write_synthetic

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
MAX_FILE_MB = "4096"  # claims.csv at 1M claims is over the default 100 MB read limit
MICRO_RUNS = 200  # cheap operations: enough samples for a p95
HEAVY_BUDGET_S = 60.0  # stop repeating a slow operation after this much time
MICRO_BUDGET_S = 2.0
XLSX_MAX = 100_000
APP_MAX = 100_000
QUERY = {"min_certainty": "moderate", "time_windows": ("short-term",)}
SQL = """
SELECT c.condition_id, c.label, MAX(f.{level}) AS level
FROM findings AS f JOIN conditions AS c ON c.condition_id = f.condition_id
WHERE f.time_window IN ({windows}) AND f.{level} >= ? AND f.direction = 'favours-dn'
GROUP BY c.condition_id ORDER BY level DESC, c.label
"""

Result = dict[str, object]


def summarise(times: list[float]) -> Result:
    """Median and p95 (nearest rank) of a list of seconds."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered) + 0.5) - 1)] if ordered else 0
    return {"median": statistics.median(ordered), "p95": p95, "n": len(ordered)}


def measure(fn: Callable[[], object], runs: int, budget: float = HEAVY_BUDGET_S) -> Result:
    """Run fn up to `runs` times, stopping early once `budget` seconds are spent."""
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < runs:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return summarise(times)


def once(fn: Callable[[], object]) -> tuple[Result, object]:
    t = time.perf_counter()
    value = fn()
    return summarise([time.perf_counter() - t]), value


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sqlite_db(kb):
    """In-memory SQLite with the findings and conditions tables, indexed on window and level."""
    import sqlite3

    con = sqlite3.connect(":memory:")
    findings = kb.findings[["finding_id", "condition_id", "time_window", "direction",
                            "cert_min", "cert_max"]]
    findings = findings[findings["condition_id"] != ""].astype(object)
    findings = findings.where(findings.notna(), None)
    con.execute("CREATE TABLE findings (finding_id TEXT PRIMARY KEY, condition_id TEXT, "
                "time_window TEXT, direction TEXT, cert_min INTEGER, cert_max INTEGER)")
    con.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)",
                    findings.itertuples(index=False, name=None))
    con.execute("CREATE TABLE conditions (condition_id TEXT PRIMARY KEY, label TEXT)")
    con.executemany("INSERT INTO conditions VALUES (?, ?)",
                    kb.conditions[["condition_id", "label"]].itertuples(index=False, name=None))
    con.execute("CREATE INDEX findings_max ON findings (time_window, cert_max)")
    con.execute("CREATE INDEX findings_min ON findings (time_window, cert_min)")
    con.execute("ANALYZE")
    return con


def sqlite_query(con, f) -> list[tuple]:
    """The condition query in SQL: conditions whose best supporting finding reaches the level."""
    from kb.grading import level_value

    sql = SQL.format(level="cert_min" if f.conservative else "cert_max",
                     windows=", ".join("?" * len(f.time_windows)))
    return con.execute(sql, (*f.time_windows, level_value(f.min_certainty) or 1)).fetchall()


def raw_read(data_dir: Path) -> int:
    """Every CSV of the data directory read by pyarrow, nothing else: the floor of a load."""
    import pyarrow.csv as pacsv

    return sum(pacsv.read_csv(path).num_rows for path in sorted(data_dir.glob("*.csv")))


def bibtexparser_alone(text: str) -> int:
    """references.bib parsed by bibtexparser v2 in one process: the floor of a cold load."""
    import bibtexparser

    return len(bibtexparser.parse_string(text).entries)


def duckdb_query(folder: Path, f) -> list[tuple] | None:
    """The condition query in DuckDB, straight on the snapshot's Parquet files."""
    try:
        import duckdb
    except ImportError:
        return None
    import json

    files = {n: e["file"] for n, e in json.loads((folder / "manifest.json").read_text())[
        "tables"].items()}
    from kb.grading import level_value

    sql = SQL.replace("findings AS f", f"read_parquet('{folder / files['kb.findings']}') AS f")
    sql = sql.replace("conditions AS c", f"read_parquet('{folder / files['kb.conditions']}') AS c")
    sql = sql.format(level="cert_min" if f.conservative else "cert_max",
                     windows=", ".join("?" * len(f.time_windows)))
    sql = sql.replace("GROUP BY c.condition_id", "GROUP BY c.condition_id, c.label")
    con = duckdb.connect()
    return lambda: con.execute(sql, [*f.time_windows, level_value(f.min_certainty) or 1]
                               ).fetchall()


def snapshot_rows(data_dir: Path, kb, size: int, repeat: int, out: dict[str, Result]) -> None:
    """Snapshot build and warm load; trace, impact and contradictions on it; DuckDB on its
    Parquet files."""
    from kb import snapshot
    from kb.catalog import edges
    from kb.contradictions import find_contradictions
    from kb.cube import ConditionFilter
    from kb.impact import reference_impact
    from kb.trace import trace

    with tempfile.TemporaryDirectory(prefix="kb-bench-cache-") as cache:
        previous = os.environ.get("KB_CACHE_DIR", "")
        os.environ["KB_CACHE_DIR"] = cache
        try:
            out["snapshot build (once: load, compute, write)"], _ = once(
                lambda: snapshot.load(data_dir))
            out["snapshot open (warm: files hashed, no table read)"] = measure(
                lambda: snapshot.load(data_dir), repeat)
            out["snapshot load (warm)"] = measure(
                lambda: snapshot.tables_of(snapshot.load(data_dir)), repeat)
            claim = kb.claims["claim_id"].iloc[len(kb.claims) // 2]
            ref = kb.findings["reference_id"].value_counts().index[0]

            def trail():
                served = snapshot.load(data_dir)
                return trace(served, claim, edges(served))

            out["trace ID (snapshot load included)"] = measure(trail, repeat)

            def impact():
                served = snapshot.load(data_dir)
                return reference_impact(served, ref, edges(served))

            out["impact REF (snapshot load included)"] = measure(impact, repeat)
            out["contradictions"], found = once(lambda: find_contradictions(kb))
            out["contradictions found"] = {"value": len(found)}
            if size <= APP_MAX:
                f = ConditionFilter(**QUERY)
                query = duckdb_query(snapshot.location(data_dir), f)
                if query is None:
                    out["duckdb condition query on the snapshot"] = {
                        "skipped": "duckdb not installed"}
                else:
                    out["duckdb condition query on the snapshot"] = measure(query, 50, 2)
                    out["duckdb agrees"] = {"value": sorted(r[0] for r in query()) == sorted(
                        r[0] for r in sqlite_query(sqlite_db(kb), f))}
        finally:
            os.environ["KB_CACHE_DIR"] = previous


def export_rows(kb, size: int, out: dict[str, Result]) -> None:
    try:
        from kb.catalog import table_bytes
    except ImportError:
        for fmt in ("csv", "xlsx", "parquet"):
            out[f"export {fmt}"] = {"skipped": "kb.catalog.table_bytes not available"}
        return
    for fmt in ("csv", "xlsx", "parquet"):
        if fmt == "xlsx" and size > XLSX_MAX:
            out["export xlsx"] = {"skipped": f"XLSX measured only up to {XLSX_MAX:,} claims"}
            continue
        out[f"export {fmt}"] = measure(lambda fmt=fmt: table_bytes(kb.claims, fmt), 5)


def child(data_dir: Path, size: int, repeat: int) -> dict[str, Result]:
    """Measure every in-process operation on one generated data directory."""
    from kb.cube import ConditionFilter, build_cube, evidence_map, query_conditions
    from kb.graph import build_graph
    from kb.load import load

    out: dict[str, Result] = {}
    holder = {}
    out["raw pyarrow read (floor)"] = measure(lambda: raw_read(data_dir), repeat)
    bib = (data_dir / "references.bib").read_text()
    out["bibtexparser alone (floor)"] = measure(lambda: bibtexparser_alone(bib), 1)
    cache = os.environ.get("KB_CACHE_DIR", "")
    os.environ["KB_CACHE_DIR"] = "off"
    out["load + validate (cold)"] = measure(lambda: load(data_dir), 1)
    os.environ["KB_CACHE_DIR"] = cache
    out["load + validate"] = measure(lambda: holder.update(kb=load(data_dir)), repeat)
    kb = holder["kb"]
    snapshot_rows(data_dir, kb, size, repeat, out)
    out["cube (once)"], cube = once(lambda: build_cube(kb))
    f = ConditionFilter(**QUERY)
    out["condition query"] = measure(lambda: query_conditions(cube, f), MICRO_RUNS,
                                     MICRO_BUDGET_S)
    out["sqlite build (once)"], con = once(lambda: sqlite_db(kb))
    out["sqlite condition query"] = measure(lambda: sqlite_query(con, f), MICRO_RUNS,
                                            MICRO_BUDGET_S)
    ours = set(query_conditions(cube, f)["condition_id"])
    theirs = {row[0] for row in sqlite_query(con, f)}
    out["sqlite agrees"] = {"value": ours == theirs, "n_conditions": len(ours)}
    claims = kb.claims
    sources = claims["source_id"].drop_duplicates().iloc[::10]

    def claims_filter():
        return claims[claims["source_id"].isin(sources) & claims["topic"].eq("efficacy")]

    out["claims filter"] = measure(claims_filter, MICRO_RUNS, MICRO_BUDGET_S)
    out["evidence map"] = measure(lambda: evidence_map(cube, f), MICRO_RUNS, budget=5)
    out["peak RSS after load (MB)"] = {"value": peak_rss_mb()}
    export_rows(kb, size, out)
    out["peak RSS before graph (MB)"] = {"value": peak_rss_mb()}
    out["graph build"] = measure(lambda: build_graph(kb), max(1, repeat // 2))
    out["peak RSS (MB)"] = {"value": peak_rss_mb()}
    return out


def _explorer() -> None:
    """The landing page, run as the app runs it (AppTest cannot drive st.navigation's
    None-valued selectboxes when started from app.py)."""
    from kb.ui import explorer

    explorer.render()


CERTAINTY_KEY = "ex_certainty"  # the explorer's minimum-certainty selectbox
CERTAINTY_TURNS = itertools.cycle(["low", "moderate", "very-low", "high"])  # app spellings


def _change(at) -> str | None:
    """Set the explorer's minimum certainty to the next level; its label, or None."""
    widgets = [w for w in at.selectbox if w.key == CERTAINTY_KEY]
    if not widgets:
        return None
    widgets[0].set_value(next(CERTAINTY_TURNS))
    return str(widgets[0].label)


def child_app(data_dir: Path, repeat: int) -> dict[str, Result]:
    """Time a filter change in the Streamlit app with AppTest, on a warm cache."""
    from streamlit.testing.v1 import AppTest

    os.environ["KB_DATA_DIR"] = str(data_dir)
    from kb.snapshot import load

    load(data_dir)  # a matching snapshot, as after any command
    at = AppTest.from_function(_explorer, default_timeout=600)
    first, _ = once(at.run)
    if at.exception:
        return {"app filter change": {"skipped": f"app raised: {at.exception[0].message}"}}
    label = None

    def change():
        nonlocal label
        label = _change(at)
        at.run()

    result = measure(change, max(10, repeat * 2), budget=30)
    if label is None:
        return {"app filter change": {"skipped": "no filter widget found on the first page"}}
    return {"app first run (cold)": first, "app filter change": {**result, "widget": label}}


def _warm_snapshot(data_dir: Path) -> None:
    """Build the snapshot if needed, in a process of its own, so the caller's peak RSS is
    that of a warm load."""
    subprocess.run([sys.executable, "-c", "import sys; from kb.snapshot import load; "
                    "load(sys.argv[1])", str(data_dir)], check=True)


def child_graphml(data_dir: Path) -> dict[str, Result]:
    """The whole graph streamed as GraphML from a warm snapshot, in a process of its own so
    its peak RSS is that of the load plus the export."""
    from kb.catalog import graph_export
    from kb.snapshot import load

    _warm_snapshot(data_dir)
    kb = load(data_dir)  # this process's peak RSS is a warm load and the export
    with tempfile.TemporaryDirectory(prefix="kb-bench-graphml-") as tmp:
        path = Path(tmp) / "kb.graphml"

        def export():
            with path.open("wb") as handle:
                graph_export(kb, "graphml")(handle)

        result, _ = once(export)
        size = path.stat().st_size
    return {"graphml export (streamed, snapshot warm)": result,
            "graphml file (MB)": {"value": size / 2**20},
            "peak RSS with graphml export (MB)": {"value": peak_rss_mb()}}


def child_queries(data_dir: Path, cold: bool) -> dict[str, Result]:
    """Load (cold: no cache at all; else from a warm snapshot, every table parsed) and the
    queries a user runs, as the CLI and the app run them (the cube and the contradictions
    from the catalog, so from the snapshot when it is warm): a condition query, a trace, an
    impact, the contradictions. A process of its own, so its peak RSS is that of the load and
    the queries only."""
    from kb import catalog, snapshot
    from kb.cube import ConditionFilter, query_conditions
    from kb.impact import reference_impact
    from kb.trace import trace

    if cold:
        os.environ["KB_CACHE_DIR"] = "off"
    else:
        _warm_snapshot(data_dir)
    kb = snapshot.load(data_dir)
    if not cold:
        snapshot.tables_of(kb)
    query_conditions(catalog.cube(kb), ConditionFilter(**QUERY))
    trace(kb, kb.claims["claim_id"].iloc[len(kb.claims) // 2], catalog.edges(kb))
    reference_impact(kb, kb.findings["reference_id"].value_counts().index[0], catalog.edges(kb))
    catalog.table(kb, "contradictions")
    key = "cold" if cold else "snapshot warm"
    return {f"peak RSS, load and queries ({key}, own process) (MB)": {"value": peak_rss_mb()}}


CLI = "import sys; from kb.cli import run; sys.exit(run())"  # what the `kb` script runs
COMMANDS = [["--help"], ["validate"], ["stats"], ["trace", "fa-087"], ["impact", "physiopedia"],
            ["impact"], ["query", "conditions", "--min-certainty", "low"],
            ["export", "claims", "--format", "csv"]]
FLOOR = ["-c", "import pandas, pyarrow"]
# The same imports, leaving as the `kb` script does (kb.cli.run skips the last collection):
# the part of a command's margin that comes from that exit, not from its own work.
FLOOR_KB_EXIT = ["-c", "import gc, pandas, pyarrow; gc.freeze()"]
KB_EXIT_FLOOR = "python -c 'import pandas, pyarrow', exiting as kb does (floor)"


def _process_seconds(args: list[str], env: dict[str, str]) -> float | None:
    """Wall time of one fresh Python process (from the project root, so this tree's kb);
    None when it fails."""
    t = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, check=False, cwd=ROOT,
                          env=env)
    return time.perf_counter() - t if done.returncode == 0 else None


def cli_times(runs: int = 5) -> dict[str, Result]:
    """Every command on the bundled data, warm snapshot, beside `import pandas, pyarrow`.

    The commands and floors take turns, one run of each per round, so a machine that slows
    down mid-run slows the floor with them. kb's modules are compiled to bytecode once, in a
    folder of the run's own, as an install does for pandas and pyarrow (the floor): with
    PYTHONDONTWRITEBYTECODE set, as on some machines, every command would otherwise recompile
    kb and the floor would not."""
    with tempfile.TemporaryDirectory(prefix="kb-bench-cli-") as cache:
        env = {**os.environ, "KB_CACHE_DIR": cache, "PYTHONPYCACHEPREFIX": cache + "/pycache"}
        for name in ("KB_DATA_DIR", "PYTHONDONTWRITEBYTECODE"):
            env.pop(name, None)
        subprocess.run([sys.executable, "-c", CLI, "stats"], capture_output=True, cwd=ROOT,
                       env=env, check=False)  # compiles the snapshot
        jobs = {"python -c 'import pandas, pyarrow' (floor)": FLOOR,
                KB_EXIT_FLOOR: FLOOR_KB_EXIT, "python -c pass (floor)": ["-c", "pass"]}
        jobs |= {"kb " + " ".join(command): ["-c", CLI, *command] for command in COMMANDS}
        times: dict[str, list[float | None]] = {name: [] for name in jobs}
        for _ in range(runs):
            for name, args in jobs.items():
                times[name].append(_process_seconds(args, env))
        return {name: summarise(seen) if None not in seen else {"skipped": "exited non-zero"}
                for name, seen in times.items()}


def run_child(mode: str, data_dir: Path, size: int, repeat: int, cache: Path
              ) -> dict[str, Result]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "KB_MAX_FILE_MB": MAX_FILE_MB, "PYTHONPATH": path,  # this tree's kb
           "KB_CACHE_DIR": str(cache)}  # caches and snapshots go with the generated data
    cmd = [sys.executable, __file__, f"--{mode}", str(data_dir), "--size", str(size),
           "--repeat", str(repeat)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return {f"{mode} failed": {"skipped": tail[0]}}
    return json.loads(done.stdout)


def measure_size(size: int, repeat: int, seed: int) -> dict[str, Result]:
    with (tempfile.TemporaryDirectory(prefix=f"kb-bench-{size}-") as tmp,
          tempfile.TemporaryDirectory(prefix=f"kb-bench-cache-{size}-") as cache):
        data_dir = Path(tmp)
        generated, _ = once(lambda: write_synthetic(data_dir, size, seed))
        results = {"generate data (once)": generated}
        results |= run_child("child", data_dir, size, repeat, Path(cache))
        if size <= APP_MAX:
            results |= run_child("child-app", data_dir, size, repeat, Path(cache))
        results |= run_child("child-graphml", data_dir, size, repeat, Path(cache))
        results |= run_child("child-queries", data_dir, size, repeat, Path(cache))
        results |= run_child("child-queries-cold", data_dir, size, repeat, Path(cache))
        return results


# ---- formatting and targets -------------------------------------------------------------

ROWS = [
    "generate data (once)", "raw pyarrow read (floor)", "bibtexparser alone (floor)",
    "load + validate (cold)", "load + validate", "snapshot build (once: load, compute, write)",
    "snapshot open (warm: files hashed, no table read)", "snapshot load (warm)",
    "trace ID (snapshot load included)",
    "impact REF (snapshot load included)", "contradictions", "contradictions found",
    "duckdb condition query on the snapshot", "cube (once)",
    "condition query", "sqlite condition query", "sqlite / ours (median)", "sqlite build (once)",
    "claims filter", "evidence map", "graph build", "export csv", "export xlsx", "export parquet",
    "graphml export (streamed, snapshot warm)", "graphml file (MB)",
    "app first run (cold)", "app filter change", "peak RSS after load (MB)",
    "peak RSS before graph (MB)", "peak RSS (MB)", "peak RSS with graphml export (MB)",
    "peak RSS, load and queries (snapshot warm, own process) (MB)",
    "peak RSS, load and queries (cold, own process) (MB)",
]


def fmt_seconds(s: float) -> str:
    """A duration in µs, ms or s; a negative one (a command under its floor) with its sign."""
    if s < 0:
        return "-" + fmt_seconds(-s)
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def cell(result: Result | None) -> str:
    if result is None:
        return "-"
    if "skipped" in result:
        return "skipped"
    if "value" in result:
        value = result["value"]
        return f"{value:,.0f}" if isinstance(value, float) else str(value)
    if result["n"] == 1:
        return fmt_seconds(result["median"])
    return f"{fmt_seconds(result['median'])} / {fmt_seconds(result['p95'])}"


def with_ratio(results: dict[str, Result]) -> dict[str, Result]:
    ours, theirs = results.get("condition query"), results.get("sqlite condition query")
    if ours and theirs and "median" in ours and "median" in theirs:
        ratio = ours["median"] / theirs["median"]
        text = f"ours = {ratio:.3g}x SQLite" + (f" ({1 / ratio:.0f}x faster)" if ratio < 1 else "")
        return results | {"sqlite / ours (median)": {"value": text}}
    return results


def table(by_size: dict[str, dict[str, Result]]) -> str:
    labels = list(by_size)
    rows = [r for r in ROWS if any(r in res for res in by_size.values())]
    extra = sorted({r for res in by_size.values() for r in res} - set(ROWS)
                   - {"sqlite agrees", "duckdb agrees"})
    lines = ["| operation (median / p95) | " + " | ".join(labels) + " |",
             "|---|" + "---|" * len(labels)]
    for row in rows + extra:
        lines.append(f"| {row} | " + " | ".join(cell(by_size[s].get(row)) for s in labels) + " |")
    return "\n".join(lines)


def notes(by_size: dict[str, dict[str, Result]]) -> list[str]:
    found = []
    for label, results in by_size.items():
        for name, result in results.items():
            if "skipped" in result:
                found.append(f"{label} {name}: skipped, {result['skipped']}")
        agrees = results.get("sqlite agrees")
        if agrees and not agrees["value"]:
            found.append(f"{label}: SQLite and query_conditions DISAGREE on the conditions")
        duck = results.get("duckdb agrees")
        if duck:
            found.append(f"{label}: DuckDB on the snapshot and SQLite "
                         + ("agree" if duck["value"] else "DISAGREE") + " on the conditions")
        widget = results.get("app filter change", {}).get("widget")
        if widget:
            found.append(f"{label} app filter change: widget '{widget}'")
    return found


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _at(by_size: dict[int, dict[str, Result]], name: str, key: str = "median"
        ) -> tuple[float | None, str]:
    """A figure at 1M claims, else at the largest size that has it, and which size that was."""
    for size in sorted(by_size, reverse=True):
        value = by_size[size].get(name, {}).get(key)
        if value is not None:
            return value, "1M" if size == 1_000_000 else f"{size // 1000}k (1M not run)"
    return None, ""


def targets(by_size: dict[int, dict[str, Result]], cli: dict[str, Result]) -> list[str]:
    """Each target of the issue beside its floor measured in the same run, and the ratio."""
    lines = []
    floor = cli.get("python -c 'import pandas, pyarrow' (floor)", {}).get("median")
    same_exit = cli.get(KB_EXIT_FLOOR, {}).get("median")
    for name, result in cli.items():
        if not name.startswith("kb ") or "median" not in result or floor is None:
            continue
        over = result["median"] - floor
        limit = 0.1 if name == "kb --help" else 0.15
        if name == "kb --help":
            lines.append(f"kb --help <= 100 ms: {fmt_seconds(result['median'])} "
                         f"-> {_verdict(result['median'] <= limit)}")
        else:
            beside = ("" if same_exit is None else f" (over the same imports exiting as kb does: "
                      f"{fmt_seconds(result['median'] - same_exit)})")
            lines.append(f"{name} minus import pandas, pyarrow ({fmt_seconds(floor)}) <= 150 ms: "
                         f"{fmt_seconds(over)}{beside} -> {_verdict(over <= limit)}")
    warm, where = _at(by_size, "snapshot load (warm)")
    raw, _ = _at(by_size, "raw pyarrow read (floor)")
    if warm is not None and raw:
        lines.append(f"warm load at {where} <= 3x raw pyarrow read and <= 2 s: "
                     f"{fmt_seconds(warm)} vs {fmt_seconds(raw)}, {warm / raw:.1f}x -> "
                     f"{_verdict(warm <= 3 * raw and warm <= 2)}")
    cold, where = _at(by_size, "load + validate (cold)")
    bib, _ = _at(by_size, "bibtexparser alone (floor)")
    if cold is not None and bib:
        lines.append(f"cold load at {where} <= 0.7x bibtexparser alone: {fmt_seconds(cold)} vs "
                     f"{fmt_seconds(bib)}, {cold / bib:.2f}x -> {_verdict(cold <= 0.7 * bib)}")
    for name in ("trace ID (snapshot load included)", "impact REF (snapshot load included)"):
        value, where = _at(by_size, name)
        if value is not None:
            lines.append(f"{name.split(' (')[0]} at {where} <= 1 s, load included: "
                         f"{fmt_seconds(value)} -> {_verdict(value <= 1)}")
    ours, where = _at(by_size, "condition query")
    for other in ("sqlite condition query", "duckdb condition query on the snapshot"):
        theirs, there = _at(by_size, other)
        if ours and theirs:
            lines.append(f"condition query vs {other.split(' condition')[0]} (at {there}): "
                         f"ours {fmt_seconds(ours)} at {where}, theirs {fmt_seconds(theirs)}, "
                         f"{theirs / ours:.0f}x faster -> {_verdict(theirs >= ours)}")
    first, where = _at(by_size, "app first run (cold)")
    if first is not None:
        lines.append(f"app first page at {where} <= 1.5 s (AppTest, snapshot warm from the "
                     f"load rows): {fmt_seconds(first)} -> {_verdict(first <= 1.5)}")
    change, where = _at(by_size, "app filter change")
    if change is not None:
        lines.append(f"app filter change at {where} <= 50 ms: {fmt_seconds(change)} -> "
                     f"{_verdict(change <= 0.05)}")
    for key in ("snapshot warm", "cold"):
        rss, where = _at(by_size, f"peak RSS, load and queries ({key}, own process) (MB)",
                         "value")
        if rss is not None:
            lines.append(f"peak RSS for load and queries ({key}) at {where} <= 1.2 GB: "
                         f"{rss / 1024:.2f} GB -> {_verdict(rss <= 1.2 * 1024)}")
    rss, where = _at(by_size, "peak RSS with graphml export (MB)", "value")
    if rss is not None:
        lines.append(f"GraphML export at {where} peak RSS <= 2 GB (own process, load included): "
                     f"{rss / 1024:.2f} GB -> {_verdict(rss <= 2 * 1024)}")
    return lines


def machine() -> str:
    cores = os.cpu_count()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cores} cores, {mem:.1f} GB RAM, Python {sys.version.split()[0]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1k", help="comma-separated: 1k,10k,100k,1M")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each slow operation")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-app", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-graphml", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-queries", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-queries-cold", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.size, args.repeat)))
        return 0
    if args.child_app:
        print(json.dumps(child_app(args.child_app, args.repeat)))
        return 0
    if args.child_graphml:
        print(json.dumps(child_graphml(args.child_graphml)))
        return 0
    if args.child_queries or args.child_queries_cold:
        print(json.dumps(child_queries(args.child_queries or args.child_queries_cold,
                                       cold=bool(args.child_queries_cold))))
        return 0
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    print(f"machine: {machine()}", flush=True)
    by_size: dict[int, dict[str, Result]] = {}
    for label in labels:
        print(f"measuring {label} claims ...", file=sys.stderr, flush=True)
        by_size[parse_size(label)] = with_ratio(measure_size(parse_size(label), args.repeat,
                                                             args.seed))
    help_time = cli_times(max(2, args.repeat))
    by_label = dict(zip(labels, by_size.values(), strict=True))
    print()
    print(table(by_label))
    print("\n| command on the bundled data (whole process, median / p95) | time |\n|---|---|")
    for name, result in help_time.items():
        print(f"| {name} | {cell(result)} |")
    for line in notes(by_label):
        print(f"note: {line}")
    print("\ntargets:")
    for line in targets(by_size, help_time):
        print(f"  {line}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": machine(), "sizes": by_label,
                                         "kb --help": help_time}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
