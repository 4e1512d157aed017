"""Validation problems as plain data, formatted `file:line:field message`.

Every problem is terminal-safe: control characters (ANSI/OSC escapes, NUL, bidi and
zero-width format characters) are shown as `\\xNN`/`\\uNNNN`, and a field name is cut to a
short excerpt, so a message never replays data into a terminal or a report."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

EXCERPT = 60
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff"
                     r"\ufff9-\uffff\U000e0000-\U000e007f]")
PARTIAL_ESCAPE = re.compile(r"\\(x[0-9a-f]?|u[0-9a-f]{0,3}|U[0-9a-f]{0,7})?$")


def escape(char: str) -> str:
    """One character as `\\xNN`, `\\uNNNN` or `\\UNNNNNNNN`."""
    point = ord(char)
    return (f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000
            else f"\\U{point:08x}")


def printable(text: object) -> str:
    """text with every control or invisible format character shown as an escape."""
    text = str(text)
    text = CONTROL.sub(lambda match: escape(match.group()), text)
    if text.isprintable() or not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn")
                                     for c in text):
        return text
    return "".join(c if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn")
                   else escape(c) for c in text)


def excerpt(text: object, limit: int = EXCERPT) -> str:
    """A short, printable excerpt: at most `limit` characters as shown (escapes counted),
    then `…`; an escape is never cut in two."""
    shown = printable(str(text)[:limit + 1])  # escaping never shortens
    if len(shown) <= limit:
        return shown
    return PARTIAL_ESCAPE.sub("", shown[:limit]) + "…"


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem. `line` is 1-based; 0 means the file as a whole."""

    file: str
    line: int
    field: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", excerpt(self.file))
        object.__setattr__(self, "field", excerpt(self.field))
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.field} {self.message}"


class DataError(Exception):
    """Raised at the edge when data/ does not validate; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TextError(ValueError):
    """A text to check that cannot be read as text: binary, too large, empty, not UTF-8
    (kb.textread raises it; here so the CLI catches it without importing the reader)."""
