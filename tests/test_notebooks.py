"""The notebooks run headlessly against the bundled data and are committed without outputs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["evidence_overview.ipynb", "citation_analysis.ipynb"]


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_without_outputs(name):
    nb = _read(name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert any("import" in c.source and "kb" in c.source for c in code)


async def _run_all() -> dict[str, nbformat.NotebookNode]:
    """Execute every notebook, concurrently, each in its own kernel."""
    books = {name: _read(name) for name in NAMES}
    # jupyter_client starts a "python" kernel spec with sys.executable: this venv's python.
    clients = [NotebookClient(nb, timeout=120, kernel_name="python3",
                              resources={"metadata": {"path": str(NOTEBOOKS)}})
               for nb in books.values()]
    await asyncio.gather(*(c.async_execute() for c in clients))
    return books


@pytest.fixture(scope="module")
def executed():
    return asyncio.run(_run_all())


def _outputs(nb: nbformat.NotebookNode) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def test_evidence_overview_runs_and_plots(executed):
    outputs = _outputs(executed["evidence_overview.ipynb"])
    assert not [o for o in outputs if o.output_type == "error"]
    svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 1 and "Low back pain" in svgs[0]["data"]["image/svg+xml"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "Temporomandibular disorders" in html and "short-term" in html


def test_citation_analysis_runs_with_impact_and_trails(executed):
    outputs = _outputs(executed["citation_analysis.ipynb"])
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "kietrys2013" in html
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert printed.startswith("claim ")

