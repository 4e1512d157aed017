"""The app's pages for st.navigation: the only module that imports the page modules.

Each page's URL path and title live in `kb.ui.links`; this module pairs them with the
page's `render` and registers the built pages there, so pages can link to each other.
"""

from __future__ import annotations

import streamlit as st

from kb.ui import (
    card,
    check,
    claims,
    disagree,
    evidence_map,
    explorer,
    graph,
    impact,
    links,
    safety,
    textcheck,
)

MODULES = {module.__name__.rpartition(".")[2]: module
           for module in (card, check, claims, disagree, evidence_map, explorer, graph, impact,
                           safety, textcheck)}


def pages() -> list[st.Page]:
    """Every page, each built once for this run and registered for links; the explorer first
    (the landing page)."""
    return [links.register(spec.name, MODULES[spec.name].render) for spec in links.PAGES]
