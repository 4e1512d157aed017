"""The app's pages by name (URL path and title) and the links between them.

The one home of each page's URL path and title. It imports no page module: `kb.ui.nav`
builds one `st.Page` per entry of `PAGES` on every run of the app and registers it here, and
pages link to each other by name through `link` and `impact_link`, so no page imports
another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    """A page: `name` is its module in kb/ui/ (the one whose `render()` draws it)."""

    name: str
    url_path: str
    title: str
    default: bool = False


PAGES = (  # in navigation order, the landing page first
    PageSpec("explorer", "explorer", "Conditions explorer", default=True),
    PageSpec("evidence_map", "evidence-map", "Evidence map"),
    PageSpec("card", "condition", "Condition card"),
    PageSpec("safety", "safety", "Safety"),
    PageSpec("claims", "claims", "Claims browser"),
    PageSpec("graph", "graph", "Citation graph"),
    PageSpec("check", "claims-check", "Claims check"),
    PageSpec("textcheck", "check-a-text", "Check a text"),
    PageSpec("disagree", "disagreements", "Where sources disagree"),
    PageSpec("impact", "reference-impact", "Reference impact"),
)
SPECS = {spec.name: spec for spec in PAGES}
PAGE_MODULES = tuple(SPECS)  # the page modules of kb/ui/

# The pages of the latest run of the app. A link reads only a page's URL path, title and
# icon, which every run builds alike, so sessions may share these.
_registered: dict[str, st.Page] = {}


def _build(spec: PageSpec, render: Callable[[], None]) -> st.Page:
    return st.Page(render, title=spec.title, url_path=spec.url_path, default=spec.default)


def register(name: str, render: Callable[[], None]) -> st.Page:
    """Build the page `name` drawn by `render` (for st.navigation) and record it for links."""
    page = _registered[name] = _build(SPECS[name], render)
    return page


def registered() -> dict[str, st.Page]:
    """The pages the app registered, by name (empty when a page runs on its own)."""
    return dict(_registered)


def page(name: str) -> st.Page:
    """The page to link to: the registered one, or, when a page runs on its own (as the
    tests run them), a stand-in with the same URL path and title. Streamlit identifies a
    page by its URL path, so a link to the stand-in is the same link."""
    found = _registered.get(name)
    if found is not None:
        return found
    return _build(SPECS[name], _not_registered)


def _not_registered() -> None:
    st.error("This page was not registered with st.navigation (run the app from app.py).")


def url_path(name: str) -> str:
    """A page's URL path, for links built as text (e.g. a table's link column)."""
    return SPECS[name].url_path


def link(name: str, label: str, query_params: dict[str, str] | None = None,
         icon: str | None = None) -> None:
    """A link to the page `name`, with state for it in the URL."""
    st.page_link(page(name), label=label, query_params=query_params, icon=icon)


def impact_link(reference_id: str, label: str) -> None:
    """A link to what a reference's withdrawal would change, with the reference in the URL."""
    link("impact", label, {"ref": reference_id}, icon=":material/hub:")
