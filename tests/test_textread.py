"""Reading a text to check: plain text, Markdown and HTML into sections and sentences."""

import pytest

from kb.textread import TextError, decode, read_document, sniff


def texts(doc):
    return [s.text for s in doc.sentences]


def test_plain_text_headings_items_and_sentences():
    doc = read_document("Care after needling\n\nRest a day. Drink water.\n\n"
                        "Avoid it if you have:\n\n• A bleeding disorder\n\n• Diabetes\n", "text")
    assert texts(doc) == ["Rest a day.", "Drink water.", "Avoid it if you have:",
                          "A bleeding disorder", "Diabetes"]
    assert {s.section for s in doc.sentences} == {"Care after needling"}
    assert doc.sentences[3].lead == "Avoid it if you have:"
    assert [s.sentence_no for s in doc.sentences] == [1, 2, 3, 4, 5]


def test_markdown_reduces_inline_markup_and_drops_raw_scripts():
    doc = read_document("# Title\n\n## Neck\n\nIt **may** help [neck pain](https://x.example)."
                        "<script>alert(1)</script>\n\n- one item\n- two\n\n## References\n\n"
                        "1. Gattie 2017\n", "markdown")
    assert texts(doc) == ["It may help neck pain.", "one item", "two"]
    assert doc.sentences[0].section == "Neck"
    assert doc.references == ["Gattie 2017"]


def test_html_visible_text_only_entities_decoded_hostile_markup_inert():
    page = ("<html><head><title>T &amp; C</title><style>p{}</style><script>alert(1)</script>"
            "</head><body><h1>Safety</h1><p>It is &lt;b&gt;safe&lt;/b&gt; &amp; quick.</p>"
            "<p hidden>secret</p><div style='display: none'>gone</div>"
            "<img src=x onerror=alert(2)><a href='javascript:alert(3)'>link text</a>"
            "<ul><li>Item<ul><li>Nested</li></ul></li></ul><!-- note --></body></html>")
    doc = read_document(page, "html")
    assert texts(doc) == ["It is <b>safe</b> & quick.", "link text", "Item", "Nested"]
    assert doc.title == "T & C"
    joined = " ".join(texts(doc))
    for hidden in ("alert", "secret", "gone", "note", "p{}"):
        assert hidden not in joined


def test_sniff():
    assert sniff("<!DOCTYPE html><p>x</p>") == "html"
    assert sniff("# Head\n\ntext") == "markdown"
    assert sniff("plain") == "text"
    assert sniff("anything", "page.htm") == "html"


@pytest.mark.parametrize(("data", "message"), [
    (b"\x00\x01\x02binary", "binary data"),
    (b"caf\xe9", "not UTF-8 (byte 0xe9 at offset 3)"),
    (b"   \n\t", "empty"),
    (b"x" * (2 * 1024 * 1024 + 1), "larger than the 2 MB limit"),
])
def test_bad_input_is_a_clear_error(data, message):
    with pytest.raises(TextError, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode(data, "page.txt", limit_mb=2)


def test_control_characters_never_reach_the_text():
    assert "\x1b" not in decode("It \x1b[31mworks\u202e.".encode())


def test_semicolon_clauses_are_sentences_of_their_own():
    doc = read_document("It is generally safe; serious complications are very rare. Pain; "
                        "function.", "text")
    assert [s.text for s in doc.sentences] == [
        "It is generally safe", "serious complications are very rare.", "Pain; function."]


def test_a_paragraph_without_an_inner_end_skips_the_segmenter_but_splits_the_same():
    from kb.textread import split_sentences

    assert split_sentences("One sentence only, e.g. with an abbreviation") == [
        "One sentence only, e.g. with an abbreviation"]
    assert split_sentences("First one. Second one!") == ["First one.", "Second one!"]
    assert split_sentences("Dr. Smith needles.") == ["Dr. Smith needles."]
