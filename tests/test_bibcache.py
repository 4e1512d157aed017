"""The BibTeX cache returns exactly what a fresh parse returns, and never hides problems."""

from conftest import CASES_DIR, ROOT

from kb.bibcache import start_bibtex_cached
from kb.parse import parse_bibtex


def test_cached_parse_equals_fresh_parse(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    data = (ROOT / "data" / "references.bib").read_bytes()
    fresh = parse_bibtex(data.decode(), "references.bib")
    first = start_bibtex_cached(data, data.decode(), "references.bib")()
    assert len(list(tmp_path.glob("bib-*.arrow"))) == 1
    second = start_bibtex_cached(data, data.decode(), "references.bib")()
    for parsed in (first, second):
        assert parsed.frame.equals(fresh.frame)
        assert parsed.lines.tolist() == fresh.lines.tolist()


def test_files_with_problems_are_not_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    data = (CASES_DIR / "bib_missing_brace" / "references.bib").read_bytes()
    for _ in range(2):
        assert start_bibtex_cached(data, data.decode(), "references.bib")().problems
    assert not list(tmp_path.glob("bib-*"))


def test_cache_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DIR", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    data = (ROOT / "data" / "references.bib").read_bytes()
    assert not start_bibtex_cached(data, data.decode(), "references.bib")().problems
    assert not list(tmp_path.rglob("bib-*"))


def test_an_unreadable_cache_file_is_parsed_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    data = (ROOT / "data" / "references.bib").read_bytes()
    fresh = parse_bibtex(data.decode(), "references.bib")
    start_bibtex_cached(data, data.decode(), "references.bib")()
    (cached,) = tmp_path.glob("bib-*.arrow")
    cached.write_bytes(cached.read_bytes()[:100])  # truncated by a crash or a full disk
    again = start_bibtex_cached(data, data.decode(), "references.bib")()
    assert again.frame.equals(fresh.frame)
    assert cached.stat().st_size > 100  # and cached again
