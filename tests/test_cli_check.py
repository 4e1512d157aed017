"""`kb check`: every report format, read back with another tool; bad input is exit 1."""

import csv
import io
import json

import pytest

from kb.cli import main

TEXT = ("<html><body><h1>Dry needling</h1><p>Dry needling is proven to cure tennis elbow.</p>"
        "<p>Serious adverse events occur in fewer than 1 per 10,000 treatments.</p>"
        "<script>alert(1)</script><p>&lt;img src=x onerror=alert(1)&gt; The sky is blue.</p>"
        "</body></html>")


def run(capsysbinary, *argv):
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(TEXT)
    return path


def test_csv_report_one_row_per_sentence(capsysbinary, page):
    code, out, _ = run(capsysbinary, "check", str(page), "--format", "csv", "--output", "-")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.decode())))
    assert list(rows[0]) == ["sentence_no", "section", "sentence", "topic", "condition_ids",
                             "wording_strength", "numbers", "status", "certainty", "rationale",
                             "finding_ids", "reference_ids"]
    assert [r["status"] for r in rows] == ["overstated", "contradicted", "not assessable"]
    assert rows[2]["sentence"] == "<img src=x onerror=alert(1)> The sky is blue."


def test_json_and_markdown_summaries(capsysbinary, page):
    _, out, _ = run(capsysbinary, "check", str(page), "--format", "json")
    body = json.loads(out)
    assert body["summary"]["overstated"] == 1 and body["summary"]["contradicted"] == 1
    assert body["notice"] == "Evidence information, not medical advice."
    assert body["unclassified"] == [3]
    _, out, _ = run(capsysbinary, "check", str(page), "--format", "markdown")
    text = out.decode()
    assert text.splitlines()[2] == "**1 overstated\\, 0 unsupported\\, 1 contradicted of 3 " \
                                   "sentences.**"
    assert "automatically" in text and "could not classify" in text


def test_html_report_is_standalone_and_escaped(capsysbinary, page, tmp_path):
    from bs4 import BeautifulSoup

    target = tmp_path / "report.html"
    assert run(capsysbinary, "check", str(page), "--format", "html", "--output",
               str(target))[0] == 0
    soup = BeautifulSoup(target.read_text(), "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert "<img src=x onerror=alert(1)>" in soup.get_text()
    assert "Evidence information, not medical advice." in soup.get_text()


def test_stdin(capsysbinary, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(
        b"Dry needling has no side effects.\n")))
    code, out, _ = run(capsysbinary, "check", "-", "--format", "csv")
    assert code == 0 and "contradicted" in out.decode()


@pytest.mark.parametrize(("content", "message"), [
    (b"\x89PNG\x00\x00binary", "binary data (NUL bytes), not a text"),
    (b"", "empty, no text to check"),
    (b"caf\xe9 au lait", "not UTF-8 (byte 0xe9 at offset 3); save the text as UTF-8"),
])
def test_unreadable_input_is_exit_1(capsysbinary, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, out, err = run(capsysbinary, "check", str(path))
    assert code == 1 and out == b""
    assert err == f"kb: error: {path}: {message}\n"


def test_50_mb_is_refused_unread(capsysbinary, tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse
    code, _, err = run(capsysbinary, "check", str(path))
    assert code == 1 and "larger than the 5 MB limit" in err


def test_missing_file_is_exit_1_and_bad_format_exit_2(capsysbinary, tmp_path):
    assert run(capsysbinary, "check", str(tmp_path / "nope.txt"))[0] == 1
    with pytest.raises(SystemExit) as usage:
        main(["check", "x.txt", "--format", "pdf"])
    assert usage.value.code == 2


def test_markdown_and_html_render_one_row_model(kb):
    from kb import checkreport
    from kb.textcheck import check_text
    from kb.textread import read_document

    report = check_text(read_document("Neck\n\nDry needling may help neck pain.\n\n"
                                      "Wear loose clothing.", "text"), kb)
    rows = checkreport.rows(report)
    assert [r.section for r in rows] == ["Neck", None]  # a section opens once
    assert rows[0].details[0] == "topic efficacy" and "conditions Neck pain" in rows[0].details
    import html

    from kb.markdown import escape
    for row in rows:
        shown = "; ".join(row.details)
        assert escape(shown) in checkreport.markdown(report)
        assert html.escape(shown) in checkreport.page(report)
