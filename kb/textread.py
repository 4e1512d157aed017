"""Read a text someone wants checked: plain text, Markdown or HTML into sections and sentences.

HTML is parsed with BeautifulSoup (html.parser): only visible text is kept (no script, style,
template, head or hidden elements), entities are decoded, and tags never reach the output.
Headings become the section of the sentences under them; list items are sentences of their
own; paragraphs are split into sentences with pysbd, and a sentence into its
semicolon-separated clauses. A references section ("References", "Sources") is kept apart as
the text's reference list, not checked sentence by sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kb.problems import TextError

MAX_TEXT_MB = 5  # largest text `kb check` and the app accept, in MB
REFERENCE_HEADINGS = re.compile(r"^(?:references?|sources?|bibliography|citations|works cited)"
                                r"\s*:?$", re.I)
HIDDEN_TAGS = ("script", "style", "template", "head", "noscript", "iframe", "object", "svg",
               "canvas", "button", "select", "textarea", "input", "form")
BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt",
              "blockquote", "figcaption", "caption", "pre")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
TEXT_ITEM = re.compile(r"^\s*(?:[-*•·‣◦▪]|\d{1,3}[.)])\s*(\S.*)$")
MD_INLINE = [(re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),   # images: their alt text
             (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),    # links: their text
             (re.compile(r"`([^`]*)`"), r"\1"),
             (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
             (re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])"), r"\1"),
             (re.compile(r"<[^>]*>"), "")]
RAW_HIDDEN = re.compile(r"(?is)<(script|style|template|noscript)\b.*?(?:</\1\s*>|\Z)|<!--.*?-->")
SPACE = re.compile(r"\s+")
# control and bidi-override characters (ANSI escapes, U+202E) never reach a report
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                     r"\u2066-\u2069]")


@dataclass(frozen=True)
class Block:
    """One run of text: a heading, a paragraph or a list item."""

    kind: str  # "heading", "paragraph" or "item"
    text: str


@dataclass(frozen=True)
class Sentence:
    """One sentence; `lead` is the lead-in of the list it belongs to ("Avoid it if you have:"),
    which the detectors read with it."""

    sentence_no: int
    section: str
    text: str
    lead: str = ""


@dataclass(frozen=True)
class Document:
    """A text split for checking: its sentences and the reference list it carries."""

    sentences: list[Sentence]
    references: list[str] = field(default_factory=list)
    title: str = ""


def decode(data: bytes, name: str = "input", limit_mb: int = MAX_TEXT_MB) -> str:
    """UTF-8 text from bytes, or a TextError naming the input and what is wrong with it."""
    if len(data) > limit_mb * 1024 * 1024:
        raise TextError(f"{name}: larger than the {limit_mb} MB limit for a text to check")
    if b"\x00" in data:
        raise TextError(f"{name}: binary data (NUL bytes), not a text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise TextError(f"{name}: not UTF-8 (byte 0x{data[err.start]:02x} at offset "
                        f"{err.start}); save the text as UTF-8") from None
    text = CONTROL.sub(" ", text)
    if not text.strip():
        raise TextError(f"{name}: empty, no text to check")
    return text


def sniff(text: str, name: str = "") -> str:
    """'html', 'markdown' or 'text', from the file name or the content."""
    suffix = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if suffix in ("html", "htm", "xhtml"):
        return "html"
    if suffix in ("md", "markdown"):
        return "markdown"
    if suffix == "txt":
        return "text"
    head = text[:2000].casefold()
    if re.search(r"<(?:!doctype html|html|body|p|div|h[1-6]|article)\b", head):
        return "html"
    if re.search(r"(?m)^\s{0,3}#{1,6}\s", text[:5000]):
        return "markdown"
    return "text"


def _clean(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def html_blocks(html: str) -> list[Block]:
    """Visible text of an HTML page as blocks; scripts, styles and hidden parts dropped."""
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(html, "html.parser")
    title = _clean(soup.title.get_text(" ")) if soup.title else ""
    for tag in soup(HIDDEN_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        style = str(tag.get("style", "")).replace(" ", "").casefold()
        if tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or \
                "display:none" in style or "visibility:hidden" in style:
            tag.decompose()
    blocks: list[Block] = [Block("heading", title)] if title else []
    # each run of text belongs to its nearest block element (a list inside a list item is
    # read item by item); text outside any block element goes with its parent element
    runs: list[tuple[object, str, list[str]]] = []
    for string in soup.find_all(string=True):
        owner = string.find_parent(BLOCK_TAGS) or string.parent
        if runs and runs[-1][0] is owner:
            runs[-1][2].append(str(string))
            continue
        name = getattr(owner, "name", "")
        kind = "heading" if name in HEADING_TAGS else "item" if name == "li" else "paragraph"
        runs.append((owner, kind, [str(string)]))
    blocks.extend(Block(kind, _clean(" ".join(parts))) for _, kind, parts in runs)
    return [b for b in blocks if b.text]


def _markdown_inline(text: str) -> str:
    for pattern, repl in MD_INLINE:
        text = pattern.sub(repl, text)
    return _clean(text)


def markdown_blocks(text: str) -> list[Block]:
    """Markdown headings, list items and paragraphs (inline markup reduced to its text)."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    text = RAW_HIDDEN.sub(" ", text)  # raw HTML in Markdown: scripts and styles are not text

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", _markdown_inline(" ".join(paragraph))))
            paragraph.clear()

    for line in text.splitlines():
        heading, item = MD_HEADING.match(line), MD_ITEM.match(line)
        if heading:
            flush()
            blocks.append(Block("heading", _markdown_inline(heading.group(1))))
        elif item:
            flush()
            blocks.append(Block("item", _markdown_inline(item.group(1))))
        elif not line.strip():
            flush()
        else:
            paragraph.append(line.strip())
    flush()
    return [b for b in blocks if b.text]


def text_blocks(text: str) -> list[Block]:
    """Plain text: a short line with no closing punctuation, alone in its paragraph, is a
    heading; a line starting with a bullet or a number is a list item."""
    blocks: list[Block] = []
    for para in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and len(lines[0]) <= 80 and not re.search(r"[.!;:,]$", lines[0]) \
                and not TEXT_ITEM.match(lines[0]):
            blocks.append(Block("heading", _clean(lines[0])))
            continue
        rest: list[str] = []
        for line in lines:
            item = TEXT_ITEM.match(line)
            if item:
                if rest:
                    blocks.append(Block("paragraph", _clean(" ".join(rest))))
                    rest = []
                blocks.append(Block("item", _clean(item.group(1))))
            else:
                rest.append(line)
        if rest:
            blocks.append(Block("paragraph", _clean(" ".join(rest))))
    return blocks


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


# where a sentence could end inside a paragraph; a paragraph without one is one sentence
# (most headings' paragraphs and list items), and pysbd (about 2 ms a paragraph) is skipped
INNER_END = re.compile(r"[.!?…][\"'”’)\]]*\s+\S")


SEMICOLON = re.compile(r";\s+")
MIN_CLAUSE_WORDS = 4  # "it is safe; it is cheap" is two claims, "pain; function" is not


def clauses(sentence: str) -> list[str]:
    """A sentence's semicolon-separated clauses, each a claim of its own ("it is generally
    safe; serious complications are very rare"), when every clause has at least
    MIN_CLAUSE_WORDS words; else the sentence whole."""
    parts = [p.strip() for p in SEMICOLON.split(sentence)]
    if len(parts) > 1 and all(len(p.split()) >= MIN_CLAUSE_WORDS for p in parts):
        return parts
    return [sentence]


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph (pysbd, only where a sentence could end inside it), each
    split into its clauses."""
    text = text.strip()
    found = _segmenter().segment(text) if INNER_END.search(text) else [text]
    return [c for s in found if s.strip() for c in clauses(s.strip())]


def read_document(text: str, kind: str = "text") -> Document:
    """Sections and sentences of a text of the given kind ('text', 'markdown' or 'html')."""
    blocks = {"html": html_blocks, "markdown": markdown_blocks}.get(kind, text_blocks)(text)
    sentences: list[Sentence] = []
    references: list[str] = []
    section, in_references, title, lead = "", False, "", ""
    for block in blocks:
        if block.kind == "heading":
            section, lead = block.text, ""
            title = title or block.text
            in_references = bool(REFERENCE_HEADINGS.match(block.text))
            continue
        if in_references:
            references.append(block.text)
            continue
        parts = split_sentences(block.text)
        base = len(sentences) + 1
        context = lead if block.kind == "item" else ""
        sentences.extend(Sentence(base + i, section, part, context)
                         for i, part in enumerate(parts))
        if block.kind != "item":
            lead = parts[-1] if parts and parts[-1].rstrip().endswith(":") else ""
    return Document(sentences, references, title)
