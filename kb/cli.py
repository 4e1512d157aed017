"""The `kb` command: a thin layer over the kb package that turns errors into messages.

Everything but argparse is imported inside the commands, and the parser is built only for
the command given (each command's arguments, choices from kb.catalog and kb.vocab, are added
when that command runs or asks for its help), so `kb --help` costs the interpreter, argparse
and kb.vocab (for the disclaimer).
Exit codes: 0 success, 1 invalid data, 2 usage, environment or output errors, 130 SIGINT,
143 SIGTERM (a temporary file is removed on the way out).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import re
import signal
import sys
from pathlib import Path

from kb.paths import BUNDLED_DATA, EnvError, check_environment
from kb.paths import data_dir as resolve_data_dir

BUNDLED = BUNDLED_DATA


def _target_formats() -> dict[str, tuple[str, ...]]:
    """Export targets other than tables that take --format, with their formats."""
    from kb import catalog

    return {target: tuple(formats) for target, formats in catalog.TARGET_FORMATS.items()
            if formats}


class UsageError(Exception):
    """A user mistake that is not about the data: bad id, bad format, bad path."""


class Terminated(BaseException):
    """SIGTERM, raised where the process is, so temporary files are removed on the way out."""


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Text from data with every control character (ANSI/OSC escapes, bidi overrides) shown
    as an escape; newlines and tabs are kept."""
    from kb.problems import escape  # not imported for `kb --help` (dataclasses, inspect)

    return CONTROL.sub(lambda match: escape(match.group()), text)


def _data_dir(args: argparse.Namespace) -> Path:
    return resolve_data_dir(args.data)


def _load(args: argparse.Namespace):
    from kb.snapshot import load_with_warnings

    kb, warnings = load_with_warnings(_data_dir(args))
    _warn(warnings)
    return kb


def _write(data, args: argparse.Namespace, report: bool = False) -> None:
    """Write an export or a report; a text report (trace, impact, stats, query) is made
    terminal-safe. Exports carry no control characters: validation refuses them in data/."""
    from kb.safewrite import write_output

    if report:
        data = terminal_safe(data)
    path = write_output(data, args.output, [_data_dir(args), BUNDLED])
    if path is not None:
        print(f"wrote {path}", file=sys.stderr)


def _warn(warnings: list) -> None:
    """Warnings (data read leniently, e.g. as Excel saves it) on stderr."""
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if warnings:
        print(f"{len(warnings)} warning(s): kb fmt rewrites the files in canonical form",
              file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from kb.load import diagnose, diagnose_draft

    if args.draft:
        problems, warnings = diagnose_draft(_data_dir(args), args.draft)
    else:
        problems, warnings = diagnose(_data_dir(args))
    for problem in problems:
        print(problem)
    _warn(warnings)
    where = terminal_safe(str(_data_dir(args)) + (f" with draft {args.draft}" if args.draft
                                                  else ""))
    if problems:
        print(f"{len(problems)} problem(s) in {where}", file=sys.stderr)
        return 1
    print(f"{where}: valid", file=sys.stderr)
    return 0


def cmd_fmt(args: argparse.Namespace) -> int:
    from kb.canonical import apply, rewrites

    root = _data_dir(args)
    found, skipped = rewrites(root)
    for message in skipped:
        print(f"skipped {message}", file=sys.stderr)
    verb = "would rewrite" if args.check else "rewrote"
    if not args.check:
        apply(root, found)
    for rewrite in found:
        print(f"{verb} {rewrite.file}: {', '.join(rewrite.changes)}", file=sys.stderr)
    where = terminal_safe(str(root))
    if not found:
        print(f"{where}: every file is in canonical form", file=sys.stderr)
    return 1 if args.check and found else 0


def _export_table(kb, args: argparse.Namespace):
    from kb import catalog
    fmt = args.format or "csv"
    if fmt not in catalog.TABLE_FORMATS:
        raise UsageError(f"tables export as {', '.join(catalog.TABLE_FORMATS)}, not {fmt!r}")
    frame = catalog.table(kb, args.target)
    return lambda handle: catalog.write_table(frame, fmt, handle)


def cmd_export(args: argparse.Namespace) -> int:
    from kb import catalog
    from kb.safewrite import protected_root

    target = args.target
    formats = _target_formats()
    if target in formats and args.format not in formats[target]:
        raise UsageError(f"{target} needs --format {'|'.join(formats[target])}")
    kb = _load(args)
    if target in catalog.TARGET_WRITERS:
        if args.output in (None, "-"):
            suffix = catalog.TARGET_WRITERS[target].suffix
            raise UsageError(f"{target} needs --output "
                             f"{'kb' + suffix if suffix else 'DIR or kb-datapackage.zip'}")
        out = Path(args.output)
        if protected_root(out, [_data_dir(args)]) is not None:
            raise UsageError(f"{out}: refusing to write inside the data directory")
        written = catalog.TARGET_WRITERS[target].load()(kb, out)
        print(f"wrote {written}", file=sys.stderr)
        return 0
    if target == "bibliography":
        data = catalog.bibliography(kb, args.format, markdown=args.markdown)
    elif target == "graph":
        data = catalog.graph_export(kb, args.format)
    else:
        data = _export_table(kb, args)
    _write(data, args)
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from kb import catalog
    from kb.cube import ConditionFilter, query_conditions

    kb = _load(args)
    level = args.min_certainty.replace("-", " ") if args.min_certainty else None
    windows = (args.time_window,) if args.time_window else ()
    f = ConditionFilter(level, windows, conservative=not args.optimistic,
                        grade_only=args.grade_only)
    frame = query_conditions(catalog.cube(kb), f)
    if args.format:
        _write(catalog.table_bytes(frame, args.format), args)
    else:
        _write(frame.drop(columns="level").to_string(index=False) + "\n", args, report=True)
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    from kb import catalog
    from kb.trace import format_trace, trace

    kb = _load(args)
    _write(format_trace(trace(kb, args.claim_id, catalog.edges(kb))) + "\n", args, report=True)
    return 0


def cmd_impact(args: argparse.Namespace) -> int:
    from kb import catalog
    from kb.impact import load_bearing, reference_impact

    kb = _load(args)
    if args.reference_id is None:
        text = load_bearing(kb).to_string(index=False)
    else:
        result = reference_impact(kb, args.reference_id, catalog.edges(kb))
        text = "\n\n".join(f"{name} ({len(frame)})\n{frame.to_string(index=False)}"
                            for name, frame in result.items())
    _write(text + "\n", args, report=True)
    return 0


def cmd_slides(args: argparse.Namespace) -> int:
    import importlib.util

    from kb.slides import build_deck

    if args.output in (None, "-"):
        raise UsageError("slides needs --output deck.pptx")
    if importlib.util.find_spec("matplotlib") is None:
        raise UsageError("slides draw the evidence map with matplotlib, which is not "
                         "installed: pip install 'dn-evidence-kb[slides]'")
    kb = _load(args)
    try:
        deck = build_deck(kb, args.condition)
    except ValueError as err:
        raise UsageError(str(err)) from err
    _write(deck, args)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from kb.stats import format_stats, stats

    _write(format_stats(stats(_load(args))) + "\n", args, report=True)
    return 0


def _read_input(path: str, limit_mb: int) -> tuple[bytes, str]:
    """The bytes of PATH (or stdin for -), at most one byte over the limit, and a name for
    messages. An unreadable path is an InputError."""
    from kb.problems import TextError

    limit = limit_mb * 1024 * 1024 + 1
    if path == "-":
        return sys.stdin.buffer.read(limit), "stdin"
    try:
        with open(path, "rb") as handle:
            return handle.read(limit), path
    except IsADirectoryError:
        raise TextError(f"{path}: a directory, not a text file") from None
    except OSError as err:
        raise TextError(f"{path}: cannot read ({err.strerror or err})") from None


def _read_document(args: argparse.Namespace):
    """The text a command reads (PATH or stdin, `--kind`) as a Document, and its name."""
    from kb.textread import MAX_TEXT_MB, decode, read_document, sniff

    data, name = _read_input(args.path, MAX_TEXT_MB)
    text = decode(data, terminal_safe(name))
    return read_document(text, sniff(text, name) if args.kind == "auto" else args.kind), name


def cmd_check(args: argparse.Namespace) -> int:
    from kb import catalog
    from kb.textcheck import check_text

    doc, _ = _read_document(args)
    report = check_text(doc, _load(args))
    _write(catalog.check_report(report, args.format, doc.title), args)
    return 0


def cmd_draft_source(args: argparse.Namespace) -> int:
    from kb.draft import draft_source
    from kb.problems import TextError
    from kb.safewrite import protected_root, write_directory

    out = Path(args.output).expanduser().resolve()
    root = protected_root(out, (_data_dir(args), BUNDLED))
    if root is not None:
        raise UsageError(f"{args.output}: refusing to write inside the data directory "
                         f"{root}; give a separate draft folder")
    doc, name = _read_document(args)
    if not doc.sentences:
        raise TextError(f"{terminal_safe(name)}: no sentence to draft from (headings only, or "
                        "nothing readable)")
    source = {"source_id": args.source_id, "title": args.title, "publisher": args.publisher,
              "author": args.author, "date": args.date, "url": args.url}
    try:
        draft = draft_source(doc, _load(args), source, Path(name).name if name != "stdin"
                             else "")
    except ValueError as err:
        raise UsageError(str(err)) from err
    files = {file: frame.to_csv(index=False, lineterminator="\n")
             for file, frame in draft.tables.items()}
    if draft.bibtex:
        files["references.bib"] = draft.bibtex
    written = write_directory(out, files)
    claims = len(draft.tables["claims.csv"])
    print(f"wrote {claims} draft claim(s) to {terminal_safe(str(written))}; next: kb validate "
          f"--draft {terminal_safe(args.output)}", file=sys.stderr)
    return 0


def _text_input(p: argparse.ArgumentParser) -> None:
    """The text a command reads (`check`, `draft-source`) and how to read it."""
    p.add_argument("path", metavar="PATH|-", help="the text file, or - for stdin")
    p.add_argument("--kind", choices=("auto", "text", "markdown", "html"), default="auto",
                   help="how to read the input (default: from the file name or content)")


def _common(parser: argparse.ArgumentParser, output: bool = True) -> None:
    parser.add_argument("--data", metavar="DIR", help="data directory (default: bundled data/, "
                        "or $KB_DATA_DIR)")
    if output:
        parser.add_argument("--output", "-o", metavar="PATH", default="-",
                            help="file to write, or - for stdout (default)")


def _validate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--draft", metavar="DIR", help="also check a draft folder's rows (from kb "
                   "draft-source) as if added to data/: what the curator still has to fill")
    _common(p, output=False)


def _fmt_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--check", action="store_true",
                   help="only list the files that would change; exit 1 if any")
    _common(p, output=False)


def _export_args(p: argparse.ArgumentParser) -> None:
    from kb import catalog

    targets = (*catalog.table_names(), *catalog.TARGET_FORMATS)
    p.add_argument("target", choices=targets, metavar="TARGET", help=", ".join(targets))
    p.add_argument("--format", "-f", help="; ".join(
        [f"tables: {'|'.join(catalog.TABLE_FORMATS)}"]
        + [f"{target}: {'|'.join(formats)}" for target, formats in _target_formats().items()]))
    p.add_argument("--markdown", action="store_true",
                   help="bibliography " + "|".join(
                       f.name for f in catalog.BIBLIOGRAPHY_FORMATS.values() if f.markdown)
                   + " as Markdown with DOI and PubMed links")
    _common(p)


def _query_args(p: argparse.ArgumentParser) -> None:
    from kb import catalog, vocab

    p.add_argument("what", choices=("conditions",), help="conditions")
    p.add_argument("--min-certainty", choices=vocab.Certainty.slugs())
    p.add_argument("--time-window", choices=tuple(str(w) for w in vocab.BENEFIT_WINDOWS))
    p.add_argument("--optimistic", action="store_true",
                   help="count a certainty range at its upper bound (default: its lower bound)")
    p.add_argument("--conservative", action="store_true",
                   help="count a certainty range at its lower bound (the default; kept for "
                        "old scripts)")
    p.add_argument("--grade-only", action="store_true",
                   help="count only findings the review authors rated with GRADE")
    p.add_argument("--format", "-f", choices=tuple(catalog.TABLE_FORMATS))
    _common(p)


def _trace_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("claim_id")
    _common(p)


def _impact_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("reference_id", nargs="?")
    _common(p)


def _slides_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--condition", action="append", metavar="ID",
                   help="condition id; repeat (default: every graded condition)")
    _common(p)


def _check_args(p: argparse.ArgumentParser) -> None:
    from kb import catalog

    _text_input(p)
    p.add_argument("--format", "-f", choices=tuple(catalog.CHECK_FORMATS), default="markdown",
                   help="report format (default: markdown)")
    _common(p)


def _draft_source_args(p: argparse.ArgumentParser) -> None:
    _text_input(p)
    p.add_argument("--source-id", required=True, metavar="ID", help="new source id")
    p.add_argument("--title", required=True, help="the text's title")
    p.add_argument("--publisher", required=True, help="the publishing site")
    p.add_argument("--author", default="", help="author as printed (default: empty, to fill)")
    p.add_argument("--date", default="", help="ISO date (default: empty, to fill)")
    p.add_argument("--url", default="", help="address (default: empty, to fill)")
    p.add_argument("--data", metavar="DIR", help="data directory (default: bundled data/, "
                   "or $KB_DATA_DIR)")
    p.add_argument("--output", "-o", metavar="DIR", required=True,
                   help="new or empty folder for the draft (never inside the data directory)")
    p.set_defaults(writes_folder=True)  # checks its own --output


# name: (help, its arguments, what runs it)
COMMANDS = {
    "validate": ("check data/ and list every problem as file:line:field", _validate_args,
                 cmd_validate),
    "fmt": ("rewrite data/ files in canonical form (UTF-8 without BOM, LF line ends), as "
            "after editing in Excel; the only command that writes into data/", _fmt_args,
            cmd_fmt),
    "export": ("export a table, the bibliography, the graph or a data package", _export_args,
               cmd_export),
    "query": ("query the KB", _query_args, cmd_query),
    "trace": ("print the evidence trail of a claim", _trace_args, cmd_trace),
    "impact": ("what loses support if a reference is withdrawn (no id: the load-bearing "
               "references)", _impact_args, cmd_impact),
    "slides": ("build a PPTX deck for educators", _slides_args, cmd_slides),
    "check": ("check a text (plain, Markdown or HTML) sentence by sentence against the "
              "evidence", _check_args, cmd_check),
    "draft-source": ("draft sources, claims and assertions rows for a new text into a "
                     "separate folder, for the curator to finish", _draft_source_args,
                     cmd_draft_source),
    "stats": ("counts of claims, references, findings and conditions", _common, cmd_stats),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `kb` parser; with `only`, every command is listed but only that one gets its
    arguments (what `main` parses with, so a command imports only what its own help needs)."""
    from kb.vocab import DISCLAIMER

    parser = argparse.ArgumentParser(
        prog="kb", description="Dry Needling Evidence KB: validate, query, trace and export.",
        epilog=DISCLAIMER)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (text, arguments, run) in COMMANDS.items():
        p = sub.add_parser(name, help=text)
        if only is None or name == only:
            arguments(p)
        p.set_defaults(run=run)
    return parser


def _command(argv: list[str]) -> str:
    """The command named in argv ("" when none is): the top level takes no option but -h."""
    return next((a for a in argv if not a.startswith("-")), "")


def _terminate(signum, frame):
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(_command(argv)).parse_args(argv)
    previous = signal.getsignal(signal.SIGTERM)
    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return _run(args)
    finally:
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(signal.SIGTERM, previous)


def _error(message: object, code: int) -> int:
    print(f"kb: error: {terminal_safe(str(message))}", file=sys.stderr)
    return code


def _run(args: argparse.Namespace) -> int:
    from kb.problems import DataError, TextError
    from kb.safewrite import OutputError

    problems = check_environment(args.data)
    if problems:
        for message in problems:
            _error(message, 2)
        return 2
    try:
        if getattr(args, "output", "-") != "-" and getattr(args, "target", "") != "datapackage" \
                and not getattr(args, "writes_folder", False):
            from kb.safewrite import resolve_output

            resolve_output(args.output, [_data_dir(args), BUNDLED])
        return args.run(args)
    except TextError as err:
        return _error(err, 1)
    except DataError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) in {terminal_safe(str(_data_dir(args)))}; "
              "nothing was written", file=sys.stderr)
        return 1
    except (UsageError, OutputError, EnvError, KeyError) as err:
        return _error(err.args[0] if isinstance(err, KeyError) and err.args else err, 2)
    except BrokenPipeError:
        return 0
    except OSError as err:
        from kb.safewrite import os_error_message

        return _error(os_error_message(err, getattr(args, "output", "-")), 2)
    except KeyboardInterrupt:
        return _error("interrupted (SIGINT); nothing was written", 130)
    except Terminated:
        return _error("terminated (SIGTERM); nothing was written", 143)


def run() -> int:
    """The `kb` command: main(), then an exit that skips the interpreter's last garbage
    collection. That pass walks every object pandas and pyarrow made (about 70 ms on a small
    machine, longer than most commands); the operating system frees them anyway. Files,
    streams and exit handlers close as usual. Tests and library callers use `main`."""
    code = main()
    gc.freeze()  # objects frozen are skipped by the collection at exit
    return code


if __name__ == "__main__":
    sys.exit(run())
