"""The article's body as WordprocessingML: a paragraph of a named style for
every heading, paragraph and numbered point, in the order of
``rendered_lines``; runs carry no formatting beyond a character style and
the East Asian font hint."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...model import BlockQuote, Div, Emph, Heading, LineBreak, OrderedList, Para, Span, Str, Strong
from ..common import escape
from .styles import HEADING_LEVELS
from .wordml import elements, w

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ...model import Block, Inline

RUN_CHARS = 1_000_000  # characters a run holds at most (see Body.run); UTF-8 takes up to four bytes each

# The style of each line rendered_lines gives outside the body.
LINE_STYLES = {"title": "Title", "subtitle": "Subtitle", "author": "News Author", "meta": "News Metadata",
               "byline": "News Byline", "editors": "News Editors"}
PARAGRAPH, CHARACTER = "paragraph", "character"
# Every style an article names, with its kind: the template looks up their ids.
STYLES_NAMED = (
    *((name, PARAGRAPH) for name in (*LINE_STYLES.values(), "Body Text", "News Quote", "News Point",
                                     *(f"Heading {n}" for n in range(1, HEADING_LEVELS + 1)),
                                     "Header", "Footer")),
    *((name, CHARACTER) for name in ("Strong", "Emphasis", "News Point Lead")),
)

_RUN_BREAKS = re.compile(r"([\t\r\n])")
_DIGIT = re.compile("[0-9]")


def run_content(text: str) -> str:
    """The content of a ``w:r`` for ``text`` as python-docx writes it: a tab
    is ``w:tab``, a line end ``w:br``, the rest ``w:t``, space-preserving
    where it has white space at either end."""
    out = []
    for piece in _RUN_BREAKS.split(text) if "\t" in text or "\n" in text or "\r" in text else (text,):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{escape(piece, quote=False)}</w:t>")
    return "".join(out)


class Body:
    """Appends the body's paragraphs and runs in constant time each.

    The body is written as markup and parsed once into the document, before
    its section properties: python-docx looks a style up by name on every
    call and inserts every paragraph by scanning the body (quadratic:
    minutes for a few megabytes), and even lxml's element calls took a
    third of the time of a text of 200,000 short lines.  The style ids come
    from the template; the XML is the same as python-docx's own.
    """

    def __init__(self, document, style_ids: Mapping[tuple[str, str], str | None],
                 style_errors: Mapping[tuple[str, str], str], vertical: bool = False):
        self.body = document.find(w("body"))
        self.sect_pr = self.body.find(w("sectPr"))
        self.ids = style_ids
        # A reference document's style of the name but of another kind
        # (a paragraph style "Strong") fails the article that needs it.
        self.errors = style_errors
        self.markup: list[str] = []
        # In columns, short numbers stand upright (vertical.py), each its own run.
        self.vertical = vertical
        self.upright_count = 0

    def _style_id(self, name: str, kind: str) -> str | None:
        key = (name, kind)
        if key in self.errors:
            raise ValueError(self.errors[key])
        return self.ids[key]

    def paragraph(self, style: str, space_after: int | None = None) -> list[str]:
        """A new ``w:p`` of ``style`` at the end of the body: the list its
        runs go into.  ``space_after`` (twips) overrides the style's."""
        style_id = self._style_id(style, PARAGRAPH)
        if self.markup:
            self.markup.append("</w:p>")
        # python-docx leaves w:pPr, empty, for a style without an id.
        ppr = f'<w:pStyle w:val="{escape(style_id)}"/>' if style_id is not None else ""
        if space_after is not None:
            ppr += f'<w:spacing w:after="{space_after}"/>'
        self.markup.append(f"<w:p><w:pPr>{ppr}</w:pPr>" if ppr else "<w:p><w:pPr/>")
        return self.markup

    def done(self) -> None:
        """The paragraphs into the document, before its section properties."""
        if not self.markup:
            return
        self.markup.append("</w:p>")
        paragraphs = elements("".join(self.markup))
        self.markup = []
        if self.sect_pr is not None:
            at = self.body.index(self.sect_pr)
            self.body[at:at] = paragraphs
        else:
            self.body.extend(paragraphs)

    def run(self, p: list[str], text: str, style: str | None = None) -> None:
        """Runs of ``text`` at the end of paragraph ``p``, as python-docx's
        ``add_run`` makes them."""
        style_id = self._style_id(style, CHARACTER) if style is not None else None
        # Quotes, the interpunct and other code points Latin and Chinese
        # share take the Chinese font only with this hint; it names no
        # font, so restyling still works.
        rpr = (f'<w:rPr><w:rStyle w:val="{escape(style_id)}"/><w:rFonts w:hint="eastAsia"/></w:rPr>'
               if style_id is not None else '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>')
        if self.vertical and _DIGIT.search(text):
            self._vertical_runs(p, text, rpr)
            return
        # libxml2 refuses a text node over 10,000,000 bytes when the document
        # is read again (python-docx, Word's converters, docx2python): a huge
        # paragraph is set as several runs, which look the same.
        for start in range(0, len(text), RUN_CHARS):
            p.append(f"<w:r>{rpr}{run_content(text[start:start + RUN_CHARS])}</w:r>")

    def _vertical_runs(self, p: list[str], text: str, rpr: str) -> None:
        """``run`` in columns: each short number a run of its own, set upright."""
        from .vertical import short_number_pieces, upright_layout

        for piece, upright in short_number_pieces(text):
            if not upright:
                for start in range(0, len(piece), RUN_CHARS):
                    p.append(f"<w:r>{rpr}{run_content(piece[start:start + RUN_CHARS])}</w:r>")
                continue
            self.upright_count += 1
            layout = upright_layout(self.upright_count)
            p.append(f"<w:r>{rpr.replace('</w:rPr>', layout + '</w:rPr>')}{run_content(piece)}</w:r>")

    def inlines(self, p: list[str], inlines: tuple[Inline, ...], style: str | None = None) -> None:
        for node in inlines:
            if isinstance(node, Str):
                self.run(p, node.text, style)
            elif isinstance(node, Strong):
                self.inlines(p, node.content, "Strong")
            elif isinstance(node, Emph):
                self.inlines(p, node.content, "Emphasis")
            elif isinstance(node, Span):
                self.inlines(p, node.content, style)
            elif isinstance(node, LineBreak):
                p.append("<w:r><w:br/></w:r>")
            else:
                raise TypeError(f"docx writer: unknown inline kind {type(node).__name__}")

    def restyle(self, paragraph, style: str) -> None:
        """``paragraph`` (a header's or footer's) given ``style``, as python-docx sets a style."""
        style_id = self._style_id(style, PARAGRAPH)
        ppr = paragraph.find(w("pPr"))
        if ppr is None:
            ppr, = elements("<w:pPr/>")
            paragraph.insert(0, ppr)
        for old in ppr.findall(w("pStyle")) if style_id is None else ():
            ppr.remove(old)
        if style_id is None:
            return
        pstyle = ppr.find(w("pStyle"))
        if pstyle is None:
            pstyle, = elements("<w:pStyle/>")
            ppr.insert(0, pstyle)  # the first of a w:pPr's children
        pstyle.set(w("val"), style_id)

    def blocks(self, blocks: tuple[Block, ...], quoted: bool = False) -> None:
        """The body in the order of ``rendered_lines``: containers are walked
        into, every heading, paragraph and numbered point is one paragraph."""
        for block in blocks:
            if isinstance(block, Heading):
                level = min(max(block.level, 1), HEADING_LEVELS)
                self.inlines(self.paragraph(f"Heading {level}"), block.content)
            elif isinstance(block, Para):
                self.inlines(self.paragraph("News Quote" if quoted else "Body Text"), block.content)
            elif isinstance(block, OrderedList):
                for item in block.items:
                    paragraph = self.paragraph("News Point")
                    # The source numbers its points in the text; marker and lead
                    # sentence are bold together, as the newspaper sets them.
                    self.run(paragraph, item.marker, "News Point Lead")
                    self.inlines(paragraph, item.lead, "News Point Lead")
                    self.inlines(paragraph, item.content)
            elif isinstance(block, BlockQuote):
                self.blocks(block.blocks, quoted=True)
            elif isinstance(block, Div):
                self.blocks(block.blocks, quoted)
            else:
                raise TypeError(f"docx writer: unknown block kind {type(block).__name__}")

