"""Pure parsers: bytes or text in, (table, problems) out. No file access here."""

from __future__ import annotations

import bisect
import csv
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kb.columns import LARGE, STRING_TYPES, THREADS_FROM_BYTES, to_mask
from kb.problems import Problem, excerpt
from kb.schema import Table

BIB_FIELDS = (
    "author", "title", "journal", "year", "volume", "number", "pages", "doi", "pmid", "pmcid",
    "url", "urldate", "publisher", "date", "edition", "evidencetype", "verification", "note",
)
BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # not tab, LF, CR
NONCHARACTER = re.compile(r"[\ufdd0-\ufdef\ufffe\uffff]")  # XML (slides, GraphML) cannot hold
ORDINARY_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r"
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")  # CONTROL
NONCHARACTER_BYTES = re.compile(rb"\xef(?:\xb7[\x90-\xaf]|\xbf[\xbe\xbf])")  # NONCHARACTER
RUN_ON = re.compile(r"[}\"]\s*\n\s*[A-Za-z_-]+\s*=")


@dataclass(frozen=True)
class Parsed:
    """A parsed table, the 1-based line of each row, what went wrong, what was read
    leniently (warnings: a BOM, CRLF line ends) and the digest (kb.digest) of the file's
    bytes as read (empty when no file was read)."""

    frame: pd.DataFrame
    lines: pd.Series
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)
    digest: str = ""


def excel_forms(data: bytes, file: str) -> tuple[bytes, list[Problem]]:
    """data without a leading UTF-8 BOM and with LF line ends, and a warning for each of the
    two it had: Excel saves CSV ("CSV UTF-8") with both. Line numbers stay those an editor
    shows. UTF-16 is left for `decode` to refuse."""
    if data.startswith(UTF16_BOMS):
        return data, []
    warnings = []
    if data.startswith(BOM):
        data = data[len(BOM):]
        warnings.append(Problem(file, 1, "-", "file starts with a byte-order mark (BOM), as "
                                              "Excel saves it; read without it (kb fmt "
                                              "removes it)"))
    if b"\r" in data:
        line = data[: data.index(b"\r")].count(b"\n") + 1
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        warnings.append(Problem(file, line, "-", "CRLF or CR line ends, as Excel saves them; "
                                                 "read as LF (kb fmt rewrites them)"))
    return data, warnings


def _unusual(data: bytes) -> bool:
    """Whether valid UTF-8 may hold a control or non-character: only the bytes left once
    printable ASCII, tab and line ends are deleted are searched (a multi-byte character's
    bytes all stay, so its form is intact)."""
    rest = data.translate(None, ORDINARY_BYTES)
    return bool(CONTROL_BYTES.search(rest) or NONCHARACTER_BYTES.search(rest))


def decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Decode strict UTF-8 (after `excel_forms`); bad bytes are located problems."""
    if not data.strip():
        return None, [Problem(file, 0, "-", "file is empty")]
    if data.startswith(UTF16_BOMS):
        return None, [Problem(file, 1, "-", "file is UTF-16; save it as UTF-8")]
    if data.startswith(BOM):  # a second one: excel_forms removed the first
        return None, [Problem(file, 1, "-", "file starts with two byte-order marks (BOM); "
                                            "save it as UTF-8 without BOM")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [Problem(file, line, "-", f"not valid UTF-8 (byte 0x{data[err.start]:02x} "
                                               f"at offset {err.start}); save the file as UTF-8")]
    if not _unusual(data):
        return text, []
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(file, line, "-", "contains a NUL byte (is it a binary or UTF-16 "
                                               "file?); save it as UTF-8 text")]
    control = CONTROL.search(text)
    if control:
        line = text[: control.start()].count("\n") + 1
        return None, [Problem(file, line, "-", f"control character {control.group()} in the "
                                               "text (a terminal escape?); remove it")]
    nonchar = NONCHARACTER.search(text)
    if nonchar:
        line = text[: nonchar.start()].count("\n") + 1
        return None, [Problem(file, line, "-", f"non-character U+{ord(nonchar.group()):04X} in "
                                               "the text (XML cannot hold it); remove it")]
    return text, []


def empty(table: Table, problems: list[Problem] | None = None) -> Parsed:
    """A table with the schema's columns and no rows."""
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in table.column_names})
    return Parsed(frame, pd.Series(dtype="int64"), problems or [])


def empty_references(problems: list[Problem]) -> Parsed:
    """A references table with no entries."""
    frame = pd.DataFrame({c: pd.Series(dtype="string")
                          for c in ["reference_id", "entry_type", *BIB_FIELDS]})
    return Parsed(frame, pd.Series(dtype="int64"), problems)


def _field_limit(text: str) -> None:
    """Let the csv module read any field the file can hold (its default stops at 128 kB)."""
    if len(text) > csv.field_size_limit():
        csv.field_size_limit(len(text) + 1)


def _record_lines(text: str, n_rows: int) -> pd.Series:
    """1-based start line of each data row; cheap when no field spans lines."""
    if text.count("\n") - (0 if text.endswith("\n") else -1) == n_rows + 1:
        return pd.Series(range(2, n_rows + 2), dtype="int64")
    _field_limit(text)
    reader = csv.reader(io.StringIO(text))
    next(reader, None)
    starts, line = [], reader.line_num + 1
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    return pd.Series(starts[:n_rows], dtype="int64")


QUOTED = re.compile(r'"[^"]*"')


def _widths_add_up(text: str, n_rows: int, width: int) -> bool:
    """Every row has the header's width: pandas fills a short row with empty fields silently,
    so count the separators outside quotes (a long row already fails to parse)."""
    unquoted = QUOTED.sub("", text) if '"' in text else text
    return unquoted.count(",") == (width - 1) * (n_rows + 1)


def _ragged_rows(text: str, file: str, width: int) -> list[Problem]:
    """Rows whose field count differs from the header's, read as pandas reads them."""
    _field_limit(text)
    reader = csv.reader(io.StringIO(text))
    problems, line = [], 1
    try:
        for row in reader:
            if reader.line_num > 1 and len(row) != width and any(row):
                problems.append(Problem(file, line, "-", f"row has {len(row)} fields, header "
                                                         f"has {width}"))
            line = reader.line_num + 1
    except csv.Error:
        return _scan_rows(text, file, width)
    return problems


def _scan_rows(text: str, file: str, width: int) -> list[Problem]:
    """Slow path after a parse failure: find every ragged row and a runaway quote."""
    problems = []
    _field_limit(text)
    reader = csv.reader(io.StringIO(text), strict=True)
    line = 1
    try:
        for row in reader:
            if reader.line_num > 1 and len(row) != width and any(row):
                problems.append(Problem(file, line, "-",
                                        f"row has {len(row)} fields, header has {width}"))
            line = reader.line_num + 1
    except csv.Error as err:
        problems.append(Problem(file, line, "-", f"malformed CSV: {err} "
                                                 "(an unterminated quote?)"))
    return problems or [Problem(file, 0, "-", "malformed CSV")]


def _arrow_frame(text: str, header: list[str], data: bytes | None) -> pd.DataFrame | None:
    """Every cell as a string, read by pyarrow's multi-threaded reader from `data` (the
    text's UTF-8 bytes, when the caller has them: no second copy of a large file), or None
    when a row's width differs from the header's or a quote does not close: the pandas path
    below then finds and names each such row."""
    import pyarrow.csv as pacsv

    if text.count('"') % 2 or "\r" in text:  # a quote left open at the end, CR line ends:
        return None  # pyarrow reads them otherwise (kb.read has made line ends LF already)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(text.encode("utf-8") if data is None else data),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, LARGE), strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeEncodeError):
        return None
    if table.column_names != header:
        return None
    big = table.nbytes > THREADS_FROM_BYTES
    return table.to_pandas(types_mapper=STRING_TYPES.get, use_threads=big, split_blocks=True)


def parse_csv(text: str, table: Table, file: str, data: bytes | None = None) -> Parsed:
    """Parse one CSV table: strings only, header checked against the schema. `data`, when
    given, is `text` as UTF-8 bytes (what it was decoded from)."""
    try:
        header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    except csv.Error as err:
        return empty(table, [Problem(file, 1, "-", f"malformed CSV header: {err}")])
    problems = [Problem(file, 1, col, "missing column") for col in table.column_names
                if col not in header]
    problems += [Problem(file, 1, col or "-", "unexpected column") for col in header
                 if col not in table.column_names]
    if len(set(header)) != len(header):
        problems.append(Problem(file, 1, "-", "duplicate column names in header"))
    if problems:
        return empty(table, problems)
    frame = _arrow_frame(text, header, data)
    if frame is not None:
        try:
            lines = _record_lines(text, len(frame))
        except csv.Error:
            lines = pd.Series(dtype="int64")
        if len(lines) == len(frame):
            return Parsed(_in_schema_order(frame, table), lines, [])
    try:
        frame = pd.read_csv(io.StringIO(text), dtype="string", keep_default_na=False,
                            na_filter=False, engine="c", skip_blank_lines=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError):
        return empty(table, _scan_rows(text, file, len(header)))
    try:
        lines = _record_lines(text, len(frame))
    except csv.Error:
        lines = pd.Series(dtype="int64")
    if len(lines) != len(frame) or frame.columns.tolist() != header:
        return empty(table, _scan_rows(text, file, len(header)))
    # A first row longer than the header: pandas takes its extra fields as the index, and a
    # short row later can make the separators add up.
    long_first = not isinstance(frame.index, pd.RangeIndex)
    if long_first or not _widths_add_up(text, len(frame), len(header)):
        ragged = _ragged_rows(text, file, len(header))
        if ragged or long_first:
            return empty(table, ragged or _scan_rows(text, file, len(header)))
    return Parsed(_in_schema_order(frame, table), lines, [])


def _in_schema_order(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """The frame's columns in the schema's order (not copied when they already are)."""
    return frame if frame.columns.tolist() == table.column_names else frame[table.column_names]


def _enclosed(raw: str) -> str | None:
    """The inside of a `{...}` or `"..."` value whose opening mark closes at its end."""
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"' and '"' not in raw[1:-1]:
        return raw[1:-1]
    if len(raw) >= 2 and raw[0] == "{" and raw[-1] == "}":
        if raw.count("{") == 1 and raw.count("}") == 1:  # the common case: no inner braces
            return raw[1:-1]
        depth = 0
        for i, char in enumerate(raw):
            depth += (char == "{") - (char == "}")
            if depth == 0:
                return raw[1:-1] if i == len(raw) - 1 else None
    return None


def _balanced(text: str) -> bool:
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for char in text.replace("\\{", "").replace("\\}", ""):
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


def _field_value(raw: str, line: int, key: str, file: str) -> tuple[str, list[Problem]]:
    """A field's text without its enclosing braces or quotes, and what is wrong with it:
    an undefined @string macro, a `#` concatenation, unbalanced braces."""
    raw = raw.strip()
    inner = _enclosed(raw)
    if inner is None and re.fullmatch(r"[0-9]+", raw):
        return raw, []
    if inner is None and "#" in raw:
        return raw, [Problem(file, line, key, "'#' concatenation is not supported; write the "
                             "whole value in braces")]
    if inner is None and raw[:1] in ('"', "{"):
        return raw, [Problem(file, line, key, "unbalanced braces or quotes in the value")]
    if inner is None:
        return raw, [Problem(file, line, key, f"'{excerpt(raw)}' is not a defined @string "
                             "macro; put text in braces")]
    if not _balanced(inner):
        return inner, [Problem(file, line, key, "unbalanced braces in the value")]
    return inner, []


ChunkResult = tuple[list[Problem], list[Problem], pd.DataFrame, list[int]]
PLAIN_VALUE = r'^\{[^{}"]*\}$'  # RE2: a braced value whose inside needs no check
PARALLEL_MIN_BYTES = 1 << 20  # below this a process pool costs more than it saves
ENTRY_START = re.compile(r"^@", re.M)
STRING_MACRO = re.compile(r"@\s*string", re.I)


def _parse_chunk(text: str, file: str, first_line: int = 0) -> ChunkResult:
    """One run of bibtexparser v2: (failed-block problems, field problems, the entries as a
    table, their lines), with line numbers counted from `first_line` (the chunk's offset in
    the whole file). A value that is `{...}` with no brace or quote inside (most of them) is
    its inside, found for every field at once; only the others are checked one by one."""
    import bibtexparser
    from bibtexparser.middlewares import ResolveStringReferencesMiddleware

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    stack = ([ResolveStringReferencesMiddleware(allow_inplace_modification=True)]
             if STRING_MACRO.search(text) else [])  # no @string: nothing to resolve
    library = bibtexparser.parse_string(text, parse_stack=stack)
    failed = [_failed_block_problem(block, file, first_line) for block in library.failed_blocks]
    entries = library.entries
    fields = [f for entry in entries for f in entry.fields]
    raw = pa.array([str(f.value) for f in fields], pa.string())
    plain = to_mask(pc.match_substring_regex(raw, PLAIN_VALUE))
    values = pc.utf8_slice_codeunits(raw, 1, -1).to_numpy(zero_copy_only=False)
    problems: list[Problem] = []
    for i in np.flatnonzero(~plain).tolist():
        line = first_line + fields[i].start_line + 1
        values[i], found = _checked_value(str(fields[i].value), line, fields[i].key, file)
        problems += found
    owner = np.repeat(np.arange(len(entries)), [len(entry.fields) for entry in entries])
    frame = _entries_frame(entries, owner, [f.key for f in fields], values)
    return failed, problems, frame, [first_line + e.start_line + 1 for e in entries]


def _checked_value(raw: str, line: int, key: str, file: str) -> tuple[str, list[Problem]]:
    """A field's value and what is wrong with it, field by field (see _field_value)."""
    if RUN_ON.search(raw):
        return _enclosed(raw.strip()) or raw, [Problem(
            file, line, key, "value runs into the next field; is a comma missing after it?")]
    return _field_value(raw, line, key, file)


def _entries_frame(entries: list, owner: np.ndarray, keys: list[str], values: np.ndarray
                   ) -> pd.DataFrame:
    """One row per entry: its key, its type in lower case and each of BIB_FIELDS (empty when
    absent); `owner` is the entry of each (key, value) field."""
    codes = pa.array(keys, pa.string()).dictionary_encode()
    named = codes.dictionary.to_pylist()
    index = codes.indices.to_numpy(zero_copy_only=False)
    columns = {"reference_id": [entry.key for entry in entries],
               "entry_type": [entry.entry_type.lower() for entry in entries]}
    for name in BIB_FIELDS:
        column = np.full(len(entries), "", dtype=object)
        if name in named:
            given = index == named.index(name)
            column[owner[given]] = values[given]
        columns[name] = column
    return pd.DataFrame(columns, dtype="string")


def split_entries(text: str, parts: int) -> list[tuple[str, int]]:
    """The text cut into about `parts` chunks of whole entries, each with its first line's
    offset: cuts only before an `@` that opens a line outside any braces."""
    starts = [m.start() for m in ENTRY_START.finditer(text)]
    if parts < 2 or len(starts) < 2 * parts:
        return [(text, 0)]
    cuts = [0]
    for k in range(1, parts):
        at = bisect.bisect_left(starts, len(text) * k // parts)
        for end in starts[at:at + 50]:  # unbalanced braces: no cut rather than a bad one
            if end > cuts[-1] and text.count("{", 0, end) == text.count("}", 0, end):
                cuts.append(end)
                break
    cuts.append(len(text))
    return [(text[a:b], text.count("\n", 0, a)) for a, b in zip(cuts, cuts[1:], strict=False)]




def _start_chunks(text: str, file: str, workers: int | None) -> Callable[[], list[ChunkResult]]:
    """The chunks of a large file submitted to a process pool (parsing while the caller goes
    on); the function returned waits for their results. It returns [] where one process must
    parse it all: a small file, one core, @string macros (they reach across entries)."""
    import os

    workers = workers or os.cpu_count() or 1
    if (workers < 2 or len(text) < PARALLEL_MIN_BYTES
            or STRING_MACRO.search(text)):
        return list
    chunks = split_entries(text, workers * 2)
    if len(chunks) < 2:
        return list
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if "fork" in
                                          multiprocessing.get_all_start_methods() else None)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    futures = [pool.submit(_parse_chunk, chunk, file, line) for chunk, line in chunks]

    def results() -> list[ChunkResult]:
        try:
            return [future.result() for future in futures]
        finally:
            pool.shutdown(cancel_futures=True)
    return results


def start_bibtex(text: str, file: str, workers: int | None = None) -> Callable[[], Parsed]:
    """parse_bibtex begun: a large file's chunks are parsing on every core when this returns,
    so the caller can read other files meanwhile; the function returned gives the Parsed."""
    pending = _start_chunks(text, file, workers)

    def finish() -> Parsed:
        results = pending()
        if results and pd.concat([frame["reference_id"] for _, _, frame, _ in results]
                                 ).duplicated().any():
            results = []
        return _assembled(results or [_parse_chunk(text, file)], file)
    return finish


def parse_bibtex(text: str, file: str, workers: int | None = None) -> Parsed:
    """Parse BibTeX with bibtexparser v2; failed blocks and bad values are located problems.

    @string macros are resolved; values keep their enclosing braces or quotes until
    `_field_value` has checked them, so an undefined macro is not taken for text. A large
    file is cut at entry boundaries and parsed on every core (`workers`, default all), with
    the same entries, lines and problems as one process gives; a key repeated across chunks
    sends the file back to one process, which reports it as bibtexparser does."""
    return start_bibtex(text, file, workers)()


def _assembled(results: list[ChunkResult], file: str) -> Parsed:
    """The chunks' entries as one table, in file order, with their problems."""
    problems = [p for failed, _, _, _ in results for p in failed]
    problems += [p for _, found, _, _ in results for p in found]
    frame = pd.concat([chunk for _, _, chunk, _ in results], ignore_index=True)
    if frame.empty and not problems:
        problems.append(Problem(file, 1, "-", "no BibTeX entries found; is this a .bib file?"))
    lines = pd.Series([n for _, _, _, chunk in results for n in chunk], dtype="int64")
    return Parsed(frame, lines, problems)


def _failed_block_problem(block, file: str, first_line: int = 0) -> Problem:
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

    line = first_line + block.start_line + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        return Problem(file, line, "key", f"duplicate BibTeX key '{excerpt(block.key)}'")
    if isinstance(block, DuplicateFieldKeyBlock):
        names = ", ".join(sorted(block.duplicate_keys))
        return Problem(file, line, excerpt(names), f"field '{excerpt(names)}' appears more than "
                                                  "once in the entry; keep one")
    reason = getattr(block.error, "abort_reason", "") or type(block.error).__name__
    return Problem(file, line, "-", f"BibTeX block does not parse: {reason.strip()}")
