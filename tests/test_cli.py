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
