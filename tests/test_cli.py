"""Every CLI command, run in-process; errors become messages and exit codes."""

import io
import re
import subprocess
import sys

import pandas as pd
import pytest
from conftest import FIXTURES, ROOT

from kb.cli import main


def run(capsysbinary, *argv):
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


def test_validate_clean_and_invalid(capsysbinary, bad_case):
    assert run(capsysbinary, "validate")[0] == 0
    code, out, _ = run(capsysbinary, "validate", "--data", str(bad_case("vocab_typo")))
    assert code == 1
    assert out.decode().startswith("claims.csv:4:topic 'eficacy'")


def test_export_claims_csv_lists_every_claim_with_design_columns(capsysbinary, kb):
    code, out, _ = run(capsysbinary, "export", "claims", "--format", "csv", "--output", "-")
    assert code == 0
    frame = pd.read_csv(io.BytesIO(out), dtype=str, keep_default_na=False)
    assert len(frame) == len(kb.claims)
    assert set(frame["source_id"]) == {"verywell", "fizyoart", "jubilant", "nixon"}
    design = ["claim_id", "source_id", "section", "statement", "quote", "reference_ids",
              "condition_ids", "topic", "certainty", "time_window", "support_status",
              "status_rationale"]
    assert set(design) <= set(frame.columns)


@pytest.mark.parametrize("table", ["sources", "references", "findings", "conditions",
                                   "evidence-map", "claim-findings", "assertions"])
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "parquet"])
def test_export_every_table_every_format(capsysbinary, tmp_path, table, fmt):
    target = tmp_path / f"{table}.{fmt}"
    code, _, err = run(capsysbinary, "export", table, "--format", fmt, "--output", str(target))
    assert code == 0, err
    assert target.stat().st_size > 0


def test_export_bibliography_bibtex(capsysbinary, kb):
    import bibtexparser

    code, out, _ = run(capsysbinary, "export", "bibliography", "--format", "bibtex")
    assert code == 0
    library = bibtexparser.parse_string(out.decode())
    assert {e.key for e in library.entries} == set(kb.references["reference_id"])
    assert not library.failed_blocks


def test_query_conditions(capsysbinary):
    code, out, _ = run(capsysbinary, "query", "conditions", "--min-certainty", "low",
                       "--format", "csv")
    frame = pd.read_csv(io.BytesIO(out))
    assert code == 0 and "low-back-pain" in set(frame["condition_id"])
    assert "whiplash" not in set(frame["condition_id"])


def test_query_time_window_text(capsysbinary):
    code, out, _ = run(capsysbinary, "query", "conditions", "--min-certainty", "moderate",
                       "--time-window", "long-term")
    assert code == 0 and "plantar-heel-pain" in out.decode()
    assert "low-back-pain" not in out.decode()


def test_stats(capsysbinary, kb):
    code, out, _ = run(capsysbinary, "stats")
    assert code == 0 and re.search(rf"claims\s+{len(kb.claims)}\n", out.decode())


def test_trace_and_impact(capsysbinary):
    code, out, _ = run(capsysbinary, "trace", "al-001", "--data", str(FIXTURES / "minimal"))
    assert code == 0 and "review2020" in out.decode()
    code, out, _ = run(capsysbinary, "impact", "review2020", "--data", str(FIXTURES / "minimal"))
    assert code == 0 and "back-pain" in out.decode()


def test_unknown_claim_is_a_message_not_a_traceback(capsysbinary):
    code, _, err = run(capsysbinary, "trace", "no-such-claim")
    assert code == 2 and err.startswith("kb: error:") and "Traceback" not in err


def test_invalid_data_writes_nothing(capsysbinary, tmp_path, bad_case):
    target = tmp_path / "claims.csv"
    code, _, err = run(capsysbinary, "export", "claims", "--output", str(target),
                       "--data", str(bad_case("duplicate_id")))
    assert code == 1 and "nothing was written" in err and not target.exists()


def test_refuses_to_write_into_data(capsysbinary):
    code, _, err = run(capsysbinary, "export", "claims", "--output", str(ROOT / "data" / "x.csv"))
    assert code == 2 and "refusing to write inside the data directory" in err
    assert not (ROOT / "data" / "x.csv").exists()


def test_wrong_format_for_target(capsysbinary):
    code, _, err = run(capsysbinary, "export", "graph", "--format", "csv")
    assert code == 2 and "graph needs --format graphml|gexf|json" in err


def test_help_starts_fast_without_pandas():
    probe = "import sys, kb.cli; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_slides_default_to_every_graded_condition(capsysbinary, tmp_path):
    from pptx import Presentation

    target = tmp_path / "deck.pptx"
    code, _, err = run(capsysbinary, "slides", "--output", str(target))
    assert code == 0, err
    titles = {s.shapes.title.text for s in Presentation(str(target)).slides if s.shapes.title}
    assert {"Low back pain", "Plantar heel pain", "Temporomandibular disorders"} <= titles
    assert "Whiplash" not in titles


def test_slides_unknown_condition_is_a_message(capsysbinary, tmp_path):
    target = tmp_path / "deck.pptx"
    code, _, err = run(capsysbinary, "slides", "--condition", "nope", "--output", str(target))
    assert code == 2 and "unknown condition ids: nope" in err and "Traceback" not in err
    assert not target.exists()


def test_stats_reports_not_assessable_share_per_topic(capsysbinary):
    code, out, _ = run(capsysbinary, "stats")
    text = out.decode()
    block = text.split("not assessable, % of the topic's claims", 1)[1].split("\n\n", 1)[0]
    share = {line.split()[0]: int(line.split()[-1]) for line in block.strip().splitlines()}
    assert share["efficacy"] <= 10 and share["safety"] <= 10 and share["definition"] >= 50
    assert "findings by certainty basis" in text


def test_output_to_dev_null_streams_and_leaves_the_device(capsysbinary):
    import os
    import stat

    before = os.stat("/dev/null")
    code, out, err = run(capsysbinary, "export", "bibliography", "--format", "ris",
                         "--output", "/dev/null")
    assert code == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert os.stat("/dev/null").st_ino == before.st_ino


def test_output_to_dev_full_is_one_line_exit_2(capsysbinary):
    code, _, err = run(capsysbinary, "export", "claims", "--format", "csv",
                       "--output", "/dev/full")
    assert code == 2
    assert err == ("kb: error: /dev/full: cannot write: no space left on the device; "
                   "nothing was written\n")


@pytest.mark.parametrize("value", ["abc", "0.5", "0", "-3"])
def test_bad_max_file_mb_is_a_message(capsysbinary, monkeypatch, value):
    monkeypatch.setenv("KB_MAX_FILE_MB", value)
    code, _, err = run(capsysbinary, "validate")
    assert code == 2
    assert err == (f"kb: error: KB_MAX_FILE_MB='{value}': give a whole number of megabytes, "
                   "1 or more (default 150)\n")


def test_cache_dir_that_is_a_file_is_a_message(capsysbinary, monkeypatch, tmp_path):
    (tmp_path / "f").write_text("")
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "f"))
    code, _, err = run(capsysbinary, "stats")
    assert code == 2
    assert err.startswith("kb: error: KB_CACHE_DIR=") and "not a directory" in err


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_bad_data_dir_is_a_message(capsysbinary, monkeypatch, tmp_path, kind):
    target = tmp_path / "data"
    if kind == "file":
        target.write_text("")
    monkeypatch.setenv("KB_DATA_DIR", str(target))
    code, _, err = run(capsysbinary, "validate")
    reason = "no such directory" if kind == "missing" else "not a directory"
    assert code == 2
    assert err == (f"kb: error: KB_DATA_DIR='{target}': {reason}; point it at a data "
                   "directory (or unset it for the bundled data)\n")
    code, _, err = run(capsysbinary, "stats", "--data", str(target))
    assert code == 2 and err.startswith(f"kb: error: --data='{target}': {reason}")


def test_symlink_out_of_data_dir_is_refused_without_content(capsysbinary, data_copy,
                                                            tmp_path):
    root = data_copy()
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOPSECRET:/root:/bin/bash\n")
    (root / "sources.csv").unlink()
    (root / "sources.csv").symlink_to(secret)
    code, out, err = run(capsysbinary, "validate", "--data", str(root))
    assert code == 1
    assert out.decode() == ("sources.csv:0:- is a link to a file outside the data directory; "
                            "refused, not read\n")
    assert "TOPSECRET" not in out.decode() + err


def test_control_characters_in_data_are_refused_and_escaped(capsysbinary, data_copy):
    root = data_copy()
    claims = root / "claims.csv"
    claims.write_text(claims.read_text().replace("procedure,none",
                                                 "proc\x1b]8;;http://evil\x07\x1b[31m,none"))
    code, out, _ = run(capsysbinary, "validate", "--data", str(root))
    assert code == 1 and b"\x1b" not in out and b"\x07" not in out
    assert out.decode() == ("claims.csv:5:- control character \\x1b in the text (a terminal "
                            "escape?); remove it\n")


def test_ids_given_on_the_command_line_are_escaped(capsysbinary):
    code, out, err = run(capsysbinary, "trace", "\x1b]0;pwned\x07\x1b[2J")
    assert code == 2
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;pwned\\x07" in err


def test_reports_escape_control_characters(monkeypatch):
    import kb.cli

    assert kb.cli.terminal_safe("a\x1b[2Jb\tc\n\u202ed\r") == "a\\x1b[2Jb\tc\n\\u202ed\\x0d"


def test_sigterm_during_export_leaves_previous_file_and_no_temp(tmp_path):
    """A long export killed with SIGTERM: one line, exit 143, old file intact, no temp file."""
    import os
    import signal
    import time

    target = tmp_path / "claims.csv"
    target.write_text("previous complete export\n")
    script = (
        "import sys, time, kb.catalog as c\n"
        "real = c.write_table\n"
        "def slow(frame, fmt, handle):\n"
        "    real(frame, fmt, handle)\n"
        f"    open({str(tmp_path / 'ready')!r}, 'w').close()\n"
        "    time.sleep(60)\n"
        "c.write_table = slow\n"
        "from kb.cli import main\n"
        f"sys.exit(main(['export', 'claims', '--format', 'csv', '--output', {str(target)!r}]))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "ready").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143
    assert err == "kb: error: terminated (SIGTERM); nothing was written\n"
    assert target.read_text() == "previous complete export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.csv", "ready"]


def test_sigint_is_a_message_not_a_traceback(capsysbinary, monkeypatch):
    import kb.catalog

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(kb.catalog, "write_table", interrupted)
    code, _, err = run(capsysbinary, "export", "claims", "--format", "csv")
    assert code == 130
    assert err == "kb: error: interrupted (SIGINT); nothing was written\n"


@pytest.mark.parametrize("name", __import__("conftest").CASES)
def test_every_bad_case_stops_exports_and_slides_with_its_problems(capsysbinary, tmp_path,
                                                                   bad_case, name):
    """Data that does not validate never reaches a writer: exit 1, the case's exact
    problems, nothing written."""
    from conftest import case_expected

    case = bad_case(name)
    for argv in (["export", "bibliography", "--format", "ris", "--output",
                  str(tmp_path / "out.ris")],
                 ["slides", "--output", str(tmp_path / "deck.pptx")],
                 ["trace", "al-001"]):
        code, out, err = run(capsysbinary, *argv, "--data", str(case))
        assert code == 1, (argv, err)
        assert err.splitlines()[:-1] == case_expected(name)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_the_kb_script_gives_mains_output_files_and_exit_code(capsysbinary, tmp_path,
                                                             bad_case):
    """`kb` (kb.cli:run) skips only the interpreter's last collection: its output, the files
    it writes and its exit code are main's."""
    def script(*argv):
        return subprocess.run([sys.executable, "-c", "import sys; from kb.cli import run; "
                               "sys.exit(run())", *argv], capture_output=True, cwd=ROOT,
                              check=False)

    for argv in (["export", "claims", "--format", "csv"], ["stats"]):
        done = script(*argv)
        code, out, _ = run(capsysbinary, *argv)
        assert (done.returncode, done.stdout) == (code, out)
    target = tmp_path / "claims.csv"
    assert script("export", "claims", "--format", "csv", "--output", str(target)).returncode == 0
    assert target.read_bytes() == run(capsysbinary, "export", "claims", "--format", "csv")[1]
    bad = script("validate", "--data", str(bad_case("vocab_typo")))
    assert bad.returncode == 1 and bad.stdout.startswith(b"claims.csv:4:topic 'eficacy'")
    assert 'kb = "kb.cli:run"' in (ROOT / "pyproject.toml").read_text()


def test_help_imports_no_data_stack():
    """`kb --help` stays instant: it imports neither pandas, pyarrow nor kb's data modules
    (kb.problems would bring dataclasses and inspect)."""
    script = ("import sys, contextlib, io\n"
              "from kb.cli import main\n"
              "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
              "    main(['--help'])\n"
              "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in\n"
              "      ('pandas', 'pyarrow') or m in ('kb.problems', 'kb.schema', 'kb.read'))))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.strip() == ""
