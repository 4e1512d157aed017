"""Dry Needling Evidence KB: claims from patient-education articles, graded against reviews.

Data flows one way: data/ -> read -> validate -> model -> cube/graph/analytics -> export, app, CLI.
Import submodules directly (`from kb.load import load`); this package imports nothing heavy.
"""
