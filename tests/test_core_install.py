"""The core (CLI, every export) works without the app's packages: streamlit, plotly and
matplotlib are extras (`app`, `slides`), blocked here in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import ROOT

APP_ONLY = ("streamlit", "plotly", "matplotlib")
SCRIPT = """
import importlib, pkgutil, sys
for name in {blocked!r}:
    sys.modules[name] = None  # `import name` raises ImportError, as if not installed
import kb
for module in pkgutil.iter_modules(kb.__path__):
    if module.name != "ui":  # the app's pages
        importlib.import_module("kb." + module.name)
from kb.cli import main
out = sys.argv[1]
runs = [["export", "claims", "--format", fmt, "--output", f"{{out}}/claims.{{fmt}}"]
        for fmt in ("csv", "xlsx", "parquet", "json")]
runs += [["export", "bibliography", "--format", fmt, "--output", f"{{out}}/refs-{{fmt}}"]
         for fmt in ("bibtex", "ris", "csl-json", "ama")]
runs += [["export", "graph", "--format", "graphml", "--output", f"{{out}}/kb.graphml"],
         ["export", "datapackage", "--output", f"{{out}}/kb.zip"],
         ["export", "sqlite", "--output", f"{{out}}/kb.sqlite"],
         ["export", "fhir", "--output", f"{{out}}/kb-fhir.json"],
         ["trace", "fa-087", "--output", f"{{out}}/trace.txt"], ["validate"]]
codes = [main(argv) for argv in runs]
print("codes", codes)
print("slides", main(["slides", "--output", f"{{out}}/deck.pptx"]))
print("loaded", sorted(n for n in {blocked!r} if sys.modules.get(n) is not None))
"""


def test_core_dependencies_hold_no_app_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [d.split(">")[0].split("[")[0].strip() for d in project["dependencies"]]
    assert not set(APP_ONLY) & set(names)
    extras = project["optional-dependencies"]
    assert {"streamlit", "plotly", "matplotlib"} <= {d.split(">")[0] for d in extras["app"]}
    assert "matplotlib" in extras["slides"][0]
    makefile = (ROOT / "Makefile").read_text()
    assert "-e '.[app]'" in makefile and "-e '.[app,slides,dev]'" in makefile


def test_cli_and_exports_run_with_streamlit_plotly_matplotlib_blocked(tmp_path):
    run = subprocess.run([sys.executable, "-c", SCRIPT.format(blocked=APP_ONLY), str(tmp_path)],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert lines["codes"] == str([0] * 14), run.stderr[-3000:]
    assert lines["slides"] == "2"  # a clear message, not a traceback
    assert "pip install 'dn-evidence-kb[slides]'" in run.stderr
    assert lines["loaded"] == "[]"
    assert (tmp_path / "claims.xlsx").stat().st_size and (tmp_path / "kb.sqlite").stat().st_size
    assert not (tmp_path / "deck.pptx").exists()
