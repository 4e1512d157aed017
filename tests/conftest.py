"""Shared fixtures: the bundled KB, fixture data dirs, and a writable copy of a fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def kb():
    """The bundled knowledge base, loaded once."""
    from kb.load import load

    return load(ROOT / "data")


@pytest.fixture(scope="session")
def minimal():
    """The smallest valid fixture KB."""
    from kb.load import load

    return load(FIXTURES / "minimal")


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of a fixture dataset: data_copy('minimal') -> Path."""

    def copy(name: str = "minimal") -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """The BibTeX parse cache lives in a temporary folder during tests."""
    import os

    previous = os.environ.get("KB_CACHE_DIR")
    os.environ["KB_CACHE_DIR"] = str(tmp_path_factory.mktemp("kb-cache"))
    yield
    if previous is None:
        os.environ.pop("KB_CACHE_DIR", None)
    else:
        os.environ["KB_CACHE_DIR"] = previous
