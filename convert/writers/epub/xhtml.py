"""One document as the XHTML content document of an EPUB chapter.

The chapter shows exactly ``rendered_lines(doc)``, in that order: title block,
body, byline and editors.  Markup is plain XHTML with a few classes the
stylesheet knows; furniture is never rendered.

We write the whole XHTML document ourselves rather than hand ebooklib a body
fragment: ebooklib re-serialises fragments with pretty-printing, which puts a
newline between two adjacent inline elements (``<strong>…</strong><em>…</em>``)
and so a visible space between two Chinese characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import (
    Block,
    BlockQuote,
    Div,
    Document,
    Emph,
    Heading,
    Inline,
    LineBreak,
    ListItem,
    OrderedList,
    Para,
    Span,
    Str,
    Strong,
    inline_text,
)
from ..common import escape, rendered_lines

# Elements the stylesheet sets in bold: the font subsets follow this list.
BOLD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong"})

# Characters XML 1.0 cannot carry at all; a scrape can contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class TocEntry:
    anchor: str  # fragment id inside the chapter
    title: str


@dataclass(frozen=True)
class Chapter:
    xhtml: str  # the complete XHTML document
    title: str  # the chapter's title for the table of contents
    headings: tuple[TocEntry, ...]  # sub-headings, for a nested table of contents


def _text(text: str) -> str:
    return escape(_NOT_XML.sub("", text), quote=False)


def _attr(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _title_text(title: str) -> str:
    """A headline's spaces (often no-break spaces in scraped text) separate its
    phrases: a line may break there (a no-break space forbids it, so a
    ``<wbr/>`` follows); ``text-wrap: balance`` in the stylesheet evens the
    lines where it is supported.  No phrase is made an inline block to keep
    it whole: MuPDF sets such a block on a line of its own."""
    pieces = re.split(r"([ \u00a0\u3000]+)", title)
    return "".join(f"{_text(p)}<wbr/>" if i % 2 else _text(p) for i, p in enumerate(pieces))


def _inlines(nodes: tuple[Inline, ...]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Str):
            out.append(_text(node.text))
        elif isinstance(node, Strong):
            out.append(f"<strong>{_inlines(node.content)}</strong>")
        elif isinstance(node, Emph):
            out.append(f"<em>{_inlines(node.content)}</em>")
        elif isinstance(node, Span):
            out.append(f"<span{_span_attrs(node)}>{_inlines(node.content)}</span>")
        elif isinstance(node, LineBreak):
            out.append("<br/>")
        else:
            raise TypeError(f"EPUB writer: unknown inline kind {type(node).__name__}")
    return "".join(out)


def _span_attrs(span: Span) -> str:
    attrs = ""
    if span.attr.classes:
        attrs += f' class="{_attr(" ".join(span.attr.classes))}"'
    lang = span.attr.get("lang")
    if lang:
        attrs += f' lang="{_attr(lang)}"'
    return attrs


def _item(item: ListItem) -> str:
    if item.lead:
        # The marker belongs to the lead sentence: 一要進一步提高認識。 is set bold as a whole.
        return f'<li><strong class="lead">{_text(item.marker)}{_inlines(item.lead)}</strong>{_inlines(item.content)}</li>'
    return f"<li>{_text(item.marker)}{_inlines(item.content)}</li>"


class _Body:
    """Renders blocks in document order, numbering headings for the TOC."""

    def __init__(self) -> None:
        self.headings: list[TocEntry] = []
        self.count = 0

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        return "\n".join(self.block(b) for b in blocks)

    def block(self, b: Block) -> str:
        if isinstance(b, Heading):
            self.count += 1
            anchor = f"s{self.count}"
            if inline_text(b.content).strip():  # an empty label is not a usable TOC entry
                self.headings.append(TocEntry(anchor, inline_text(b.content)))
            # h1 is the article title, so document headings start at h2.
            tag = f"h{min(b.level + 1, 6)}"
            return f'<{tag} id="{anchor}">{_inlines(b.content)}</{tag}>'
        if isinstance(b, Para):
            return f"<p>{_inlines(b.content)}</p>"
        if isinstance(b, OrderedList):
            return '<ol class="points">\n' + "\n".join(_item(it) for it in b.items) + "\n</ol>"
        if isinstance(b, BlockQuote):
            return f"<blockquote>\n{self.blocks(b.blocks)}\n</blockquote>"
        if isinstance(b, Div):
            classes = f' class="{_attr(" ".join(b.attr.classes))}"' if b.attr.classes else ""
            return f"<div{classes}>\n{self.blocks(b.blocks)}\n</div>"
        raise TypeError(f"EPUB writer: unknown block kind {type(b).__name__}")


def fallback_title(doc: Document) -> str:
    """A title for the TOC and dc:title when the reader found none."""
    if doc.meta.title.strip():
        return doc.meta.title.strip()
    for line in rendered_lines(doc):
        if line.role in ("para", "item", "heading") and line.text.strip():
            text = line.text.strip()
            return text[:24] + ("…" if len(text) > 24 else "")
    return "無題" if doc.meta.script == "hant" else "无题"


_HEAD = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}" xml:lang="{lang}">
<head>
<meta charset="utf-8"/>
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{css}"/>
</head>
<body>
"""


def chapter(doc: Document, region: str, lang: str, css_href: str, vertical: bool = False) -> Chapter:
    """The chapter for ``doc`` in language ``lang``; ``region`` ("cn", "tw",
    "hk") picks its fonts.  Blocks are separated by newlines, never inside.
    ``vertical``: its short numbers are marked to stand upright (see
    ``upright_numbers``)."""
    roles = {line.role: line.text for line in rendered_lines(doc)}
    title = fallback_title(doc)
    top = [f'<{tag} class="{role}">{_title_text(roles[role]) if role == "title" else _text(roles[role])}</{tag}>'
           for tag, role in (("h1", "title"), ("p", "subtitle"), ("p", "author"), ("p", "meta"))
           if roles.get(role)]
    parts = [f'<section class="article region-{region}">']
    if top:
        parts += ['<header class="title-block">', *top, "</header>"]
    body = _Body()
    parts.extend(body.block(b) for b in doc.blocks)
    for role in ("byline", "editors"):
        if roles.get(role):
            parts.append(f'<p class="{role}">{_text(roles[role])}</p>')
    parts.append("</section>\n</body>\n</html>\n")
    head = _HEAD.format(lang=_attr(lang), title=_text(title), css=_attr(css_href))
    markup = "\n".join(parts)
    if vertical:
        markup = upright_numbers(markup)
    return Chapter(break_long_text(head + markup), title, tuple(body.headings))


# In vertical text a number of one to three digits stands upright, its
# digits side by side in one em (縱中橫, GB/T 15835); longer numbers, and
# numbers joined to Latin letters or to their own punctuation (14:35, 3.5,
# 1,000, 80%), turn with the Latin text.  The reading system sets the
# marked span with ``text-combine-upright`` (style.py).
_SHORT_NUMBER = re.compile(r"(?<![0-9A-Za-z.,:/%+\-])[0-9]{1,3}(?![0-9A-Za-z.,:/%])")
_TEXT_BETWEEN_TAGS = re.compile(r">([^<]+)<")
UPRIGHT_CLASS = "tcy"


def upright_numbers(markup: str) -> str:
    """``markup`` (elements, no head) with each short number in the text
    wrapped in a span of class ``UPRIGHT_CLASS``."""
    def in_text(m: re.Match[str]) -> str:
        text = m.group(1)
        if not any(c.isdigit() for c in text):
            return m.group(0)
        return ">" + _SHORT_NUMBER.sub(lambda n: f'<span class="{UPRIGHT_CLASS}">{n.group(0)}</span>', text) + "<"

    return _TEXT_BETWEEN_TAGS.sub(in_text, markup)


# libxml2 (and so lxml, and many reading systems) refuses a text node over
# 10,000,000 bytes, "Text node too long"; a scraped article can be one
# paragraph of 20 MB.  An empty comment between two stretches of text shows
# nothing and makes two text nodes of one.
TEXT_NODE_CHARS = 1_000_000  # at most four bytes a character


def break_long_text(markup: str) -> str:
    """``markup`` with an empty comment every TEXT_NODE_CHARS characters of
    a longer text; linear in the markup's length."""
    if len(markup) <= TEXT_NODE_CHARS:
        return markup
    parts = markup.split("<")
    for i, part in enumerate(parts):
        if len(part) > TEXT_NODE_CHARS:
            tag, gt, text = part.partition(">") if i else ("", "", part)
            parts[i] = tag + gt + "<!---->".join(_pieces(text))
    return "<".join(parts)


def _pieces(text: str) -> list[str]:
    pieces, start = [], 0
    while len(text) - start > TEXT_NODE_CHARS:
        cut = start + TEXT_NODE_CHARS
        amp = text.rfind("&", cut - 10, cut)
        if amp > start and ";" not in text[amp:cut]:  # never inside a reference (&amp;)
            cut = amp
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces
