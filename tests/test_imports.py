"""The code layout holds: every import in kb/ (inside functions too) goes to its own stage or a
stage above it in the README's layout table, and nothing imports in a cycle."""

from __future__ import annotations

import ast
import importlib
import re

import networkx as nx
import pytest
from conftest import ROOT

from kb import catalog

KB = ROOT / "kb"


def stages() -> dict[str, int]:
    """Module name -> stage number, read from the README's code-layout table."""
    table = (ROOT / "README.md").read_text().split("| stage | modules |", 1)[1]
    order: dict[str, int] = {}
    for number, row in enumerate(re.findall(r"^\| (\w[\w ]*) \| (.+) \|$", table, re.M)):
        for path in re.findall(r"`(kb/[\w/]+?)(?:\.py)?/?`", row[1]):
            order[path.replace("/", ".")] = number
    return order


def module_name(path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imports(path) -> set[str]:
    """Every kb module a file imports, at any depth of the syntax tree."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("kb")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kb"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if (ROOT / (candidate.replace(".", "/") + ".py")).exists()
                          else node.module)
    return found


def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for path in sorted(KB.rglob("*.py")):
        if path.name == "__init__.py":
            continue
        name = module_name(path)
        g.add_node(name)
        g.add_edges_from((name, target) for target in imports(path) if target != "kb")
    return g


def stage_of(module: str, order: dict[str, int]) -> int:
    if module in order:
        return order[module]
    package = module.rsplit(".", 1)[0]
    return order[package]  # a module of a package listed as a whole (kb/ui/)


def test_every_module_has_a_stage():
    order = stages()
    for module in graph():
        assert stage_of(module, order) is not None, module


def test_imports_only_go_up_the_layout():
    order = stages()
    wrong = [(a, b) for a, b in graph().edges
             if stage_of(b, order) > stage_of(a, order)]
    assert wrong == []


def test_there_is_no_import_cycle():
    assert list(nx.simple_cycles(graph())) == []


def test_the_model_imports_no_analytics_or_export():
    order = stages()
    model = order["kb.model"]
    above = {m for m, s in order.items() if s > model}
    assert not (set(graph().successors("kb.model")) & above)
    assert {"kb.cube", "kb.status", "kb.contradictions", "kb.catalog"} <= above


@pytest.mark.parametrize("fmt", [f for formats in (catalog.TABLE_FORMATS,
                                                    catalog.BIBLIOGRAPHY_FORMATS,
                                                    catalog.GRAPH_FORMATS)
                                 for f in formats.values()], ids=lambda f: f.writer)
def test_catalog_writers_resolve_to_export_modules(fmt):
    """The catalog names writers by string; each is a function of an export-stage module."""
    module = fmt.writer.split(":")[0]
    assert stages()[module] == stages()["kb.export"], module
    assert callable(fmt.load())
    assert importlib.import_module(module).__name__ == module


def test_a_cycle_or_an_upward_import_is_caught(tmp_path, monkeypatch):
    """The checks can fail: a model module that imports the cube is reported."""
    order = stages()
    g = graph()
    g.add_edge("kb.model", "kb.cube")
    assert any(stage_of(b, order) > stage_of(a, order) for a, b in g.edges)
    assert list(nx.simple_cycles(g))
