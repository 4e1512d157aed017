"""The README and the data dictionary stay complete."""

import re

from conftest import ROOT

from kb import catalog
from kb.cli import build_parser
from kb.schema import BIB_FILE
from kb.schema import TABLES as SCHEMA

README = (ROOT / "README.md").read_text()
DICTIONARY = (ROOT / "data" / "README.md").read_text()
TABLES = catalog.table_names()
TABLE_FORMATS = list(catalog.TABLE_FORMATS)
FORMATS = {target: list(formats) for target, formats in catalog.TARGET_FORMATS.items()
           if formats}


def subcommands() -> list[str]:
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return list(action.choices)


def test_every_command_is_documented():
    for name in subcommands():
        assert f"kb {name}" in README, name


def test_exports_section_has_one_command_per_format():
    exports = README.split("## Exports", 1)[1].split("\n## ", 1)[0]
    for fmt in TABLE_FORMATS:
        assert f"--format {fmt}" in exports, fmt
    for target, formats in FORMATS.items():
        for fmt in formats:
            assert f"kb export {target} --format {fmt}" in exports, (target, fmt)
    assert "kb export datapackage" in exports and "kb slides" in exports
    for table in TABLES:
        assert f"`{table}`" in exports, table


def test_readme_has_the_required_sections():
    for heading in ("## Two commands", "## CLI usage", "## Exports", "## The data",
                    "### How grades are assigned", "### How to add a source or a claim",
                    "## Reliability"):
        assert heading in README
    assert "make run" in README and "make test" in README
    assert "not medical advice" in README


def test_screenshot_exists():
    image = re.search(r"!\[[^\]]*\]\(([^)]+)\)", README).group(1)
    assert (ROOT / image).is_file()


def test_data_dictionary_covers_every_file_and_column():
    files = [BIB_FILE] + [t.file for t in SCHEMA]
    for name in files:
        assert f"`{name}`" in DICTIONARY, name
    for table in SCHEMA:
        section = DICTIONARY.split(f"## `{table.file}`", 1)[1].split("\n## ", 1)[0]
        for column in table.column_names:
            assert f"`{column}`" in section, (table.file, column)


def test_every_data_file_is_in_the_schema():
    known = {BIB_FILE, "README.md"} | {t.file for t in SCHEMA}
    assert {p.name for p in (ROOT / "data").iterdir() if p.is_file()} <= known


def test_every_module_is_in_the_code_layout():
    for path in sorted((ROOT / "kb").glob("*.py")):
        if path.name != "__init__.py":
            assert f"`kb/{path.name}`" in README, path.name


def test_every_tests_path_in_the_readme_exists():
    paths = re.findall(r"`(tests/[^`\s]+)`", README)
    assert paths
    for path in paths:
        assert (ROOT / path).exists(), path
