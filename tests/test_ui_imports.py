"""The app's module layering, read from the source with ast: pages import no other page and
not nav; nav alone imports pages; the shared modules import no page; no import cycle in kb/ui/.

Imports anywhere in a module count (inside functions too): `import kb.ui.x`,
`from kb.ui import x`, `from kb.ui.x import y`, their relative spellings, and
`importlib.import_module("kb.ui.x")` with a literal name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from kb.ui import links

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "kb" / "ui"
PACKAGE = "kb.ui"
PAGES = frozenset(links.PAGE_MODULES)  # the registry's pages, not a copy of the list
SHARED = frozenset({"links", "filters", "common", "charts"})  # furniture pages may import
ROUTER = "nav"
NOT_FOR_PAGES = PAGES | {ROUTER}  # what neither a page nor a shared module may import
DYNAMIC = {"import_module", "__import__"}


def ui_modules() -> dict[str, Path]:
    return {p.stem: p for p in sorted(UI.glob("*.py")) if p.stem != "__init__"}


def _ui_module(dotted: str, names: set[str]) -> str | None:
    """`kb.ui.x[.y]` -> `x` when x is a module of kb/ui/."""
    prefix = PACKAGE + "."
    if dotted.startswith(prefix):
        first = dotted[len(prefix):].split(".")[0]
        return first if first in names else None
    return None


def imports_of(source: str, names: set[str]) -> set[str]:
    """The kb/ui/ modules a kb/ui/ module's source imports, at any depth."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(m for a in node.names if (m := _ui_module(a.name, names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative to kb.ui (level 1) or above
                parent = PACKAGE.rsplit(".", node.level - 1)[0] if node.level > 1 else PACKAGE
                base = f"{parent}.{base}" if base else parent
            if base == PACKAGE:  # from kb.ui import x, y
                found.update(a.name for a in node.names if a.name in names)
            elif m := _ui_module(base, names):
                found.add(m)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in DYNAMIC and node.args:
                arg = node.args[0]
                assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
                    f"a dynamic import by a computed name at line {node.lineno}: "
                    "the layering cannot be checked")
                if m := _ui_module(arg.value, names):
                    found.add(m)
    return found


def import_graph() -> nx.DiGraph:
    modules = ui_modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        graph.add_edges_from((name, target) for target in
                             imports_of(path.read_text(), set(modules)) if target != name)
    return graph


def test_every_ui_module_has_a_place_in_the_layering():
    assert set(ui_modules()) >= PAGES, "a registered page without a module in kb/ui/"
    unplaced = set(ui_modules()) - PAGES - SHARED - {ROUTER}
    assert not unplaced, f"add {sorted(unplaced)} to the registry's pages or to SHARED"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_page_imports_no_other_page_nor_nav(page):
    wrong = set(import_graph().successors(page)) & NOT_FOR_PAGES
    assert not wrong, f"the page {page} imports {sorted(wrong)}"


@pytest.mark.parametrize("module", sorted(SHARED))
def test_shared_modules_import_no_page(module):
    wrong = set(import_graph().successors(module)) & NOT_FOR_PAGES
    assert not wrong, f"{module} imports {sorted(wrong)}"


def test_nav_alone_imports_the_pages_and_imports_them_all():
    graph = import_graph()
    importers = {m for page in PAGES for m in graph.predecessors(page)}
    assert importers == {ROUTER}
    assert set(graph.successors(ROUTER)) >= PAGES


def test_no_import_cycle_in_kb_ui():
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, f"import cycles: {cycles}"


def test_app_is_a_thin_router_over_nav():
    assert imports_of((ROOT / "app.py").read_text(), set(ui_modules())) == {ROUTER}


def test_nav_registers_one_page_per_registry_entry():
    from kb.ui import nav

    assert set(nav.MODULES) == PAGES
    assert all(callable(module.render) for module in nav.MODULES.values())


@pytest.mark.parametrize("source, expected", [
    ("import kb.ui.card", {"card"}),
    ("import kb.ui.card as c", {"card"}),
    ("from kb.ui import card, common", {"card", "common"}),
    ("from kb.ui.card import render", {"card"}),
    ("from . import card", {"card"}),
    ("from .card import render", {"card"}),
    ("def f():\n    from kb.ui import nav\n", {"nav"}),
    ("import importlib\nimportlib.import_module('kb.ui.claims')", {"claims"}),
    ("import kb.views\nfrom kb import views\nimport streamlit", set()),
])
def test_imports_are_found_in_every_spelling(source, expected):
    assert imports_of(source, set(ui_modules())) == expected


def test_a_cycle_would_be_found():
    graph = import_graph()
    assert graph.has_edge("claims", "links")
    graph.add_edge("links", "claims")  # as if the registry imported the claims page
    assert ["claims", "links"] in [sorted(c) for c in nx.simple_cycles(graph)]
