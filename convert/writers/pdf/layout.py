"""Set a Document on A4 pages and draw it with reportlab's canvas.

Three steps, each a plain function: the model becomes a list of styled
paragraphs of glyphs (in the order of ``common.rendered_lines``), each
paragraph is broken into lines (``lines``), and the lines are stacked
onto pages.  Only then is anything drawn, so the page count is known for the
footers (第 1 页，共 2 页) and the outline points at the right pages.
"""

from __future__ import annotations

import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfdoc import DummyDoc, PDFDictionary, PDFInfo, PDFName, PDFStream, PDFString, PDFText
from reportlab.pdfgen.canvas import Canvas

from ..._version import __version__
from ...lang import region_of
from ...model import (
    BlockQuote,
    Div,
    Document,
    Emph,
    Heading,
    Inline,
    LineBreak,
    OrderedList,
    Para,
    Span,
    Str,
    Strong,
)
from ..common import (
    author_line,
    byline_line,
    editors_line,
    escape,
    has_time,
    language_tag,
    metadata_line,
    page_label,
    published_at,
    running_header,
)
from .fonts import INK_PAD, Face, fallback_face, half_width_face, region_faces
from .lines import (
    FORCED_BREAK,
    MAINLAND,
    TRIMMING,
    Glyph,
    Line,
    Trimming,
    balanced_lines,
    break_lines,
    is_latin,
)

if TYPE_CHECKING:
    from .options import PdfOptions

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP_MARGIN = 78.0  # points from the page's top edge to the first line
BOTTOM_MARGIN = 72.0
GREY = 0.4
# Where the baseline sits in a line of a CJK font: the em box centred in the
# line, its bottom 0.12 em below the baseline (Noto CJK's ideographic box).
EM_BOX_DESCENT = 0.12
MAX_SPACE = 0.95  # em
TITLE_BLOCK_SPACE = 1.2  # body lines between the title block and the text, a rule midway


@dataclass(frozen=True)
class Style:
    size: float  # in body sizes
    leading: float  # in this style's size
    bold: bool = False
    align: str = "justify"  # justify, center, right
    indent: float = 0.0  # first line, in em
    space_before: float = 0.0  # in body lines
    color: float = 0.0
    keep_with_next: bool = False


def styles(line_spacing: float) -> dict[str, Style]:
    return {
        "title": Style(1.75, 1.45, bold=True, align="center", keep_with_next=True),
        "subtitle": Style(1.2, 1.5, align="center", space_before=0.2, keep_with_next=True),
        "author": Style(1.0, 1.6, align="center", space_before=0.3, keep_with_next=True),
        "meta": Style(0.86, 1.6, align="center", space_before=0.5, color=GREY,
                      keep_with_next=True),
        "heading": Style(1.0, line_spacing, bold=True, indent=2, space_before=0.5,
                         keep_with_next=True),
        "para": Style(1.0, line_spacing, indent=2),
        "item": Style(1.0, line_spacing, indent=2),
        "byline": Style(1.0, line_spacing, align="right"),
        "editors": Style(1.0, line_spacing, align="right", space_before=0.3),
    }


@dataclass
class Block:
    role: str
    style: Style
    lines: list[Line]
    size: float  # points
    leading: float  # points
    left: float  # x of the measure's left edge, from the text block's
    width: float  # the measure
    outline: tuple[str, int] | None = None  # (title, level)
    space_after: float = 0.0  # in body lines
    rule_after: bool = False  # the rule that closes the title block


@dataclass
class Placed:
    block: Block
    line: Line
    top: float  # distance of the line box's top from the text block's top
    first: bool  # the block's first line


@dataclass
class Fonts:
    regular: Face
    bold: Face
    missing: set[str] = field(default_factory=set)

    def table(self, bold: bool) -> dict[str, Metrics]:
        """What ``metrics`` found so far for these faces, by character."""
        return _METRICS.setdefault((self.regular.name, self.bold.name, bold), {})

    def metrics(self, ch: str, bold: bool) -> Metrics:
        """The face that sets ``ch``, the blank it may lose left and right,
        its advance (in em), and whether no face has it; None for a
        character with nothing to show (a control or zero-width one)."""
        table = self.table(bold)
        if ch not in table:
            if ch in _INVISIBLE or (ord(ch) >= 0x80 and unicodedata.category(ch) in ("Cc", "Cf")):
                table[ch] = None
            else:
                face, missing = self._find_face(ch, bold)
                left, right = face.adjustable(ch)
                table[ch] = (face, left, right, face.advance(ch), missing)
        return table[ch]

    def half_width(self, name: str) -> Face | None:
        """The half-width marks of the bundled face registered as ``name``."""
        for face in (self.regular, self.bold):
            if face.name == name:
                return half_width_face(face)
        return None

    def _find_face(self, ch: str, bold: bool) -> tuple[Face, bool]:
        first = self.bold if bold else self.regular
        for face in (first, self.regular):
            if face.covers(ch):
                return face, False
        fallback = fallback_face(ch)
        if fallback is not None:
            return fallback, False
        return first, True


Metrics = tuple[Face, float, float, float, bool] | None
# (regular, bold, set in bold) -> character -> what Fonts.metrics says: the
# same for every document set in those faces, and found once per character.
_METRICS: dict[tuple[str, str, bool], dict[str, Metrics]] = {}


# ---------------------------------------------------------------- model to runs

Run = tuple[str, bool, bool]  # text, bold, emphasis dots


def _runs(inlines: tuple[Inline, ...], bold: bool = False, emph: bool = False) -> list[Run]:
    out: list[Run] = []
    for node in inlines:
        if isinstance(node, Str):
            out.append((node.text, bold, emph))
        elif isinstance(node, LineBreak):
            out.append((FORCED_BREAK, bold, emph))
        elif isinstance(node, Strong):
            out.extend(_runs(node.content, True, emph))
        elif isinstance(node, Emph):
            out.extend(_runs(node.content, bold, True))
        elif isinstance(node, Span):
            out.extend(_runs(node.content, bold, emph))
        else:
            raise TypeError(f"unknown inline kind: {type(node).__name__}")
    return out


def _paragraphs(doc: Document) -> list[tuple[str, list[Run], int, int]]:
    """(role, runs, quote depth, heading level) in the order of rendered_lines."""
    out: list[tuple[str, list[Run], int, int]] = []

    def plain(role: str, text: str) -> None:
        if text:
            out.append((role, [(text, False, False)], 0, 0))

    def walk(blocks, depth: int) -> None:
        for b in blocks:
            if isinstance(b, Heading):
                out.append(("heading", _runs(b.content), depth, b.level))
            elif isinstance(b, Para):
                out.append(("para", _runs(b.content), depth, 0))
            elif isinstance(b, OrderedList):
                for it in b.items:
                    lead = bool(it.lead)
                    runs = [(it.marker, lead, False)] + _runs(it.lead, True) + _runs(it.content)
                    out.append(("item", runs, depth, 0))
            elif isinstance(b, BlockQuote):
                walk(b.blocks, depth + 1)
            elif isinstance(b, Div):
                walk(b.blocks, depth)
            else:
                raise TypeError(f"unknown block kind: {type(b).__name__}")

    plain("title", doc.meta.title)
    plain("subtitle", doc.meta.subtitle or "")
    plain("author", author_line(doc))
    plain("meta", metadata_line(doc))
    walk(doc.blocks, 0)
    plain("byline", byline_line(doc))
    plain("editors", editors_line(doc))
    return out


_INVISIBLE = frozenset(chr(c) for c in range(0x80) if unicodedata.category(chr(c)) == "Cc")


def _glyphs(runs: list[Run], size: float, fonts: Fonts, color: float = 0.0,
            all_bold: bool = False) -> list[Glyph]:
    glyphs: list[Glyph] = []
    faces: list[Face] = []
    for text, bold, emph in runs:
        bold = bold or all_bold
        table = fonts.table(bold)
        for ch in text:
            if ch == FORCED_BREAK:
                glyphs.append(Glyph(ch, fonts.regular.name, size, 0.0))
                faces.append(fonts.regular)  # faces[i] is glyphs[i]'s
                continue
            if ch == "\t" or ch == "\u00a0":
                ch = " "
            found = table[ch] if ch in table else fonts.metrics(ch, bold)
            if found is None:
                continue  # zero-width and control characters have nothing to show
            face, left, right, advance, missing = found
            if missing:
                fonts.missing.add(ch)
            glyph = Glyph(ch, face.name, size, advance * size, left * size, right * size, emph, color)
            if ch.isspace() and glyph.width > MAX_SPACE * size:
                # poppler (pdftotext, evince) splits a line into columns at a
                # gap of a full em: keep the ideographic space just below it.
                glyph.advance, glyph.width = glyph.width, MAX_SPACE * size
            glyphs.append(glyph)
            faces.append(face)
    _tighten_apostrophes(glyphs, faces, fonts)
    text = "".join(text for text, _, _ in runs)
    if "\u2014\u2014" in text or "\u2015\u2015" in text:
        _join_dashes(glyphs, faces)
    return glyphs


def _tighten_apostrophes(glyphs: list[Glyph], faces: list[Face], fonts: Fonts) -> None:
    """An apostrophe between Latin letters (De’Mon, it’s) belongs to the word
    and must not look like a full-width quote: set it as wide as its ink."""
    for i in range(1, len(glyphs) - 1):
        g = glyphs[i]
        if g.char != "’" or not (is_latin(glyphs[i - 1].char) and is_latin(glyphs[i + 1].char)):
            continue
        g.word = True
        left, right = faces[i].blanks(g.char) or (0.0, 0.0)
        left, right = max(0.0, left - INK_PAD), max(0.0, right - INK_PAD)
        if left + right:
            g.advance, g.shift = g.width, -left * g.size
            g.width -= (left + right) * g.size
            g.blank_left = g.blank_right = 0.0
            # Its full-width box would reach far into the next letter's, and
            # poppler would take that letter for the start of another line.
            half = half_width_face(faces[i]) if faces[i].name in (fonts.regular.name, fonts.bold.name) \
                else None
            if half is not None and half.covers(g.char):
                g.font, g.advance = half.name, half.advance(g.char) * g.size


# A run of dashes is drawn as one line: each dash stretched to this many em
# of ink, so that neighbours overlap, and the run's ink stops this far
# (em) inside its first and last em.  Stretched further, the dashes' boxes
# would overlap by more than BOX_OVERLAP.
DASH_INK = 1.012
DASH_END = 0.01
# Where a PDF reader puts a character is its box: origin and advance.
# poppler takes a character whose box starts more than this (em) inside the
# box before for the start of another line.
BOX_OVERLAP = 0.2
# Where the dash runs: the middle of the ideographic em box, as the centred
# marks sit (Noto CJK's U+2014 is a Latin dash, lower).
EM_BOX_MIDDLE = 0.5 - EM_BOX_DESCENT


def _join_dashes(glyphs: list[Glyph], faces: list[Face]) -> None:
    """Two or more em dashes (——) or horizontal bars (――) in a row are one
    mark, an em a dash, drawn as one unbroken line at the height of the
    middle of the Han characters.  The font's U+2014 is 0.89 em with blank ends: each
    is set in a full em, stretched so that its ink overlaps the next one's.
    Each dash stays a character of its own, so text extraction gives ——."""
    i = 0
    while i < len(glyphs):
        g = glyphs[i]
        j = i + 1
        while j < len(glyphs) and glyphs[j].char == g.char and glyphs[j].font == g.font \
                and glyphs[j].size == g.size:
            j += 1
        box = faces[i].ink.get(g.char) if g.char in "\u2014\u2015" and j - i > 1 else None
        if box is None or box[1] <= box[0]:
            i = j
            continue
        x0, x1, y0, y1 = box
        n, size = j - i, g.size
        scale = DASH_INK / (x1 - x0)
        pitch = (n - 2 * DASH_END - DASH_INK) / (n - 1)  # ink start to ink start, em
        for k, dash in enumerate(glyphs[i:j]):
            dash.advance = dash.font_advance
            dash.width = size
            dash.scale = scale
            dash.shift = (DASH_END + k * pitch - k - x0 * scale) * size
            dash.rise = (EM_BOX_MIDDLE - (y0 + y1) / 2) * size
        i = j


def _fit_boxes(lines: list[Line], fonts: Fonts) -> None:
    """A mark set narrower than its glyph (half of a compressed pair, or
    trimmed at the line end) is drawn from the half-width face, so that its
    box ends where the next character's begins, as it looks."""
    for line in lines:
        glyphs, xs = line.glyphs, line.xs
        for k in line.narrowed:
            g = glyphs[k]
            end = xs[k + 1] if k + 1 < len(glyphs) else line.extent
            if xs[k] + g.font_advance * g.scale - end <= BOX_OVERLAP * g.size:
                continue
            half = fonts.half_width(g.font)
            if half is not None and half.covers(g.char):
                g.font, g.advance = half.name, half.advance(g.char) * g.size


# ---------------------------------------------------------------- blocks and pages


def _blocks(doc: Document, fonts: Fonts, body: float, measure: float,
            line_spacing: float, trimming: Trimming = MAINLAND, glyphs_of=None) -> list[Block]:
    """The paragraphs as blocks of lines ``measure`` long.  ``glyphs_of``
    sets a run of text as glyphs in place of ``_glyphs`` (same arguments):
    the vertical layout sets its columns so, with the advances down the
    column as widths; its lines keep their boxes as set."""
    set_glyphs = glyphs_of or _glyphs
    table = styles(line_spacing)
    paragraphs = _paragraphs(doc)
    levels = sorted({level for role, _, _, level in paragraphs if role == "heading"})
    blocks = []
    outline_level = 0
    for role, runs, depth, level in paragraphs:
        style = table[role]
        size = body * style.size
        margin = depth * 2 * body  # a block quote is indented 2 em on both sides
        width = measure - 2 * margin
        glyphs = set_glyphs(runs, size, fonts, style.color, style.bold)
        if style.align == "center":
            lines = balanced_lines(glyphs, width, trimming)
        else:
            lines = break_lines(glyphs, width, first_indent=style.indent * size,
                                justify=style.align == "justify", trimming=trimming)
        if glyphs_of is None:
            _fit_boxes(lines, fonts)
        outline = None
        text = "".join(t for t, _, _ in runs).replace(FORCED_BREAK, " ")
        if role == "title":
            outline = (text, 0)
        elif role == "heading":
            wanted = levels.index(level) + (1 if doc.meta.title else 0)
            outline_level = min(wanted, outline_level + 1)
            outline = (text, outline_level)
        blocks.append(Block(role, style, lines, size, size * style.leading, margin, width, outline))
    head = [b for b in blocks if b.role in ("title", "subtitle", "author", "meta")]
    if head and len(head) < len(blocks):
        head[-1].space_after, head[-1].rule_after = TITLE_BLOCK_SPACE, True
    return blocks


# Lines that close a document after its text.
CLOSING = frozenset({"byline", "editors"})


# The share of a page a title or heading and what it keeps with may take;
# beyond it they break like text.
_LONGEST_KEPT_RUN = 1 / 3


def _paginate(blocks: list[Block], height: float, body_leading: float) -> list[list[Placed]]:
    """Stack the lines onto pages, each page filled: a title or heading stays
    with the next two lines, and the last line of a paragraph does not make
    a page on its own (clreq 孤行不成页: nothing but the closing byline would
    follow it there), else a paragraph breaks wherever the page ends.

    clreq counts a paragraph's last line at the top of a page that goes on
    with other text as a widow rarely worth a gap, and has no rule against a
    paragraph's first line at the foot of a page (it carries the 2-em
    indent), so neither leaves a page a line short."""
    pages: list[list[Placed]] = [[]]
    y = 0.0

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = 0.0

    for i, block in enumerate(blocks):
        before = block.style.space_before * body_leading if y > 0 else 0.0
        lines = block.lines
        # What must fit on this page with the block's start.
        need = min(len(lines), 1) * block.leading
        if block.style.keep_with_next:
            need = len(lines) * block.leading + block.space_after * body_leading
            for nxt in blocks[i + 1:]:
                need += nxt.style.space_before * body_leading
                if not nxt.style.keep_with_next:
                    need += min(len(nxt.lines), 2) * nxt.leading
                    break
                need += len(nxt.lines) * nxt.leading + nxt.space_after * body_leading
            if need > height * _LONGEST_KEPT_RUN:
                # A run of headings this long (tags a page listed, read as
                # headings) is no heading group: moving it whole would leave
                # most of a page empty, so the block keeps only its own lines.
                need = len(lines) * block.leading
        if y > 0 and y + before + need > height + 1e-6:
            new_page()
            before = 0.0
        y += before
        last_text = all(b.role in CLOSING for b in blocks[i + 1:])
        rest = list(lines)
        first = True
        while rest:
            fit = int((height - y) / block.leading + 1e-6)
            if fit >= len(rest):
                take = len(rest)
            else:
                take = fit
                if last_text and len(rest) - take == 1:
                    take -= 1  # leave two lines for the last page, not one
                if take < 1 and y > 0:
                    new_page()
                    continue
                take = max(take, 1)
            for line in rest[:take]:
                pages[-1].append(Placed(block, line, y, first))
                first = False
                y += block.leading
            rest = rest[take:]
            if rest:
                new_page()
        y += block.space_after * body_leading
    return [p for p in pages if p]


# ---------------------------------------------------------------- drawing


def _draw_line(canvas: Canvas, line: Line, x0: float, baseline: float) -> None:
    """Draw one line in segments of one font whose glyphs are evenly spaced,
    so each segment is a single text-show with a character spacing.

    The spacing after each glyph is the one that brings the pen to the next
    glyph, so every glyph's box as a PDF reader computes it (advance plus
    spacing) ends where the next begins: a compressed mark's box is as
    narrow as the mark is set, and no two boxes overlap (poppler takes a
    glyph that starts inside the one before for the start of a new line).
    Only the last glyph of a line may keep the spacing of those before it."""
    glyphs, xs = line.glyphs, line.xs
    n = len(glyphs)
    # The PDF advances by the font's own width plus the character spacing,
    # both stretched by the horizontal scale.
    gaps: list[float | None] = [
        (b - a) / g.scale - (g.width if g.advance is None else g.advance)
        for g, a, b in zip(glyphs, xs, xs[1:], strict=False)]  # the last glyph has none
    gaps.append(None)
    text = canvas.beginText()
    scale, rise = 1.0, 0.0
    i = 0
    while i < n:
        g, gap = glyphs[i], gaps[i]
        j = i + 1
        while j < n and glyphs[j].font == g.font and glyphs[j].size == g.size \
                and glyphs[j].color == g.color and glyphs[j].scale == g.scale \
                and glyphs[j].rise == g.rise \
                and (gaps[j] is None or gap is not None and abs(gaps[j] - gap) <= 1e-4):
            j += 1
        text.setFont(g.font, g.size)
        text.setFillGray(g.color)
        if g.scale != scale:
            scale = g.scale
            text.setHorizScale(round(scale * 100, 4))
        if g.rise != rise:
            rise = g.rise
            text.setRise(round(rise, 4))
        text.setCharSpace(round(gap or 0.0, 4))
        text.setTextOrigin(x0 + xs[i], baseline)
        text.textOut("".join(x.char for x in glyphs[i:j]))
        i = j
    # Scale and rise are graphics state, kept past the end of the text object.
    if scale != 1.0:
        text.setHorizScale(100)
    if rise != 0.0:
        text.setRise(0)
    canvas.drawText(text)
    for g, x in zip(glyphs, xs, strict=True):
        if g.emphasis and not g.char.isspace() and not g.mark:
            canvas.setFillGray(g.color)
            canvas.circle(x0 + x + g.width / 2, baseline - 0.3 * g.size, 0.06 * g.size,
                          stroke=0, fill=1)


def _line_x(placed: Placed, left: float) -> float:
    block, line = placed.block, placed.line
    x = left + block.left
    if block.style.align == "center":
        return x + (block.width - line.extent) / 2
    if block.style.align == "right":
        return x + block.width - line.extent
    return x + line.indent


def _pdf_date(doc: Document) -> str | None:
    """The publication date as a PDF date string; a day alone stays a day
    (D:20161107: no time, no zone invented), None for an undated text."""
    t = published_at(doc)
    if t is None:
        return None
    if not has_time(doc):
        return f"D:{t:%Y%m%d}"
    offset = t.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    return f"D:{t:%Y%m%d%H%M%S}{sign}{hh:02d}'{mm:02d}'"


class _Info(PDFInfo):
    """The document information dictionary holding only what the document
    says: reportlab's always writes a creation date (the clock's, or in
    invariant mode 2000-01-01) and an empty Subject."""

    date: str | None = None

    def format(self, document):
        entries = {"Title": self.title, "Author": self.author, "Subject": self.subject,
                   "Keywords": self.keywords, "Creator": self.creator, "Producer": self.producer}
        info = {key: PDFString(value) for key, value in entries.items() if value}
        if self.date:
            info["CreationDate"] = info["ModDate"] = PDFString(self.date)
        info["Trapped"] = PDFName(self.trapped)
        return PDFDictionary(info).format(document)


class _Metadata(PDFStream):
    """An XMP packet, left uncompressed as XMP asks, so that tools that do
    not read PDF find it too."""

    def format(self, document):
        content = document.encrypt.encode(self.content)
        dictionary = PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML"),
                                    "Length": len(content)})
        return dictionary.format(document) + b"\nstream\n" + content + b"\nendstream\n"


def _xmp_date(doc: Document) -> str | None:
    t = published_at(doc)
    if t is None:
        return None
    return t.isoformat(timespec="seconds") if has_time(doc) else f"{t:%Y-%m-%d}"


def _xmp(doc: Document, title: str) -> bytes:
    """dc:identifier, dc:language, dc:title and the date in XMP, where
    PDF keeps what the information dictionary has no entry for."""
    identifier, date = doc.meta.identifier, _xmp_date(doc)
    fields = ["<dc:format>application/pdf</dc:format>",
              f"<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{escape(title, quote=False)}</rdf:li></rdf:Alt></dc:title>",
              f"<dc:language><rdf:Bag><rdf:li>{escape(language_tag(doc), quote=False)}</rdf:li></rdf:Bag></dc:language>"]
    if identifier:
        fields += [f"<dc:identifier>{escape(identifier, quote=False)}</dc:identifier>",
                   f"<xmpMM:DocumentID>{escape(identifier, quote=False)}</xmpMM:DocumentID>"]
    if date:
        fields += [f"<dc:date><rdf:Seq><rdf:li>{date}</rdf:li></rdf:Seq></dc:date>",
                   f"<xmp:CreateDate>{date}</xmp:CreateDate>", f"<xmp:ModifyDate>{date}</xmp:ModifyDate>"]
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">\n'
        + "".join(f"{line}\n" for line in fields)
        + '</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="r"?>'
    )
    return packet.encode("utf-8")


_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _file_id(identifier: str) -> bytes | None:
    """The trailer's /ID: the document's identifier as 16 bytes, the same
    in both halves as for a file written once (ISO 32000-1, 14.4)."""
    if not identifier:
        return None
    # The reader's identifiers are urn:uuid:…, read here without the uuid
    # module (its import costs a PDF a few milliseconds); any other form as
    # uuid reads it.
    digits = identifier.removeprefix("urn:uuid:").replace("-", "")
    if len(digits) == 32 and set(digits) <= _HEX_DIGITS:
        value = bytes.fromhex(digits)
    else:
        import uuid

        try:
            value = uuid.UUID(identifier.removeprefix("urn:uuid:")).bytes
        except ValueError:
            value = uuid.uuid5(uuid.NAMESPACE_URL, identifier).bytes  # an identifier of another scheme
    half = PDFText(value, enc="raw").format(DummyDoc())
    return b"\n[" + half + half + b"]\n"


def _set_info(canvas: Canvas, doc: Document, creator: str) -> None:
    """Title, author, subject (the subtitle, or none), keywords, the one
    date (none when the text has none), and the identifier as the file's
    /ID and in XMP beside the language tag."""
    meta = doc.meta
    pdf = canvas._doc
    pdf.info = _Info()
    canvas.setTitle(meta.title)
    canvas.setAuthor(meta.byline or meta.source or meta.site or "")
    canvas.setSubject(meta.subtitle or "")
    keywords = []
    for word in (meta.site, meta.channel, meta.source):
        if word and word not in keywords:
            keywords.append(word)
    canvas.setKeywords(keywords)
    canvas.setCreator(creator)
    pdf.info.date = _pdf_date(doc)
    pdf.Catalog.Metadata = _Metadata(content=_xmp(doc, meta.title))
    file_id = _file_id(meta.identifier)
    if file_id is not None:
        pdf._ID = file_id


def _small(text: str, fonts: Fonts, size: float, trimming: Trimming) -> Line:
    lines = break_lines(_glyphs([(text, False, False)], size, fonts, GREY), 1e9, trimming=trimming)
    _fit_boxes(lines, fonts)
    return lines[0]


_config_lock = threading.Lock()


@contextmanager
def _binary_streams():
    """Page streams deflated only, not also ASCII85-encoded (a quarter
    larger, and slower): reportlab has this as a process-wide setting only."""
    with _config_lock:
        saved, rl_config.useA85 = rl_config.useA85, 0
        try:
            yield
        finally:
            rl_config.useA85 = saved


def creator_name() -> str:
    # From the package, not the installed distribution's metadata: the same
    # under any distribution name, and in a checkout never installed.
    return f"convert {__version__}"


def render(doc: Document, out: BinaryIO, options: PdfOptions, creator: str) -> tuple[str, ...]:
    region = region_of(doc)
    regular, bold = region_faces(region)
    fonts = Fonts(regular, bold)
    trimming = TRIMMING[region]
    body, line_spacing = options.font_size, options.line_spacing
    measure = body * options.chars_per_line
    left = (PAGE_WIDTH - measure) / 2
    body_leading = body * line_spacing
    height = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN
    top = PAGE_HEIGHT - TOP_MARGIN

    blocks = _blocks(doc, fonts, body, measure, line_spacing, trimming)
    pages = _paginate(blocks, height, body_leading) or [[]]
    header = running_header(doc)
    small = body * 0.76

    # PDF 1.4: the catalog's /Lang and /Metadata (XMP) are 1.4 entries.
    canvas = Canvas(out, pagesize=A4, invariant=1, pageCompression=1, pdfVersion=(1, 4),
                    initialFontName=regular.name, lang=language_tag(doc))
    _set_info(canvas, doc, creator)
    bookmarks = 0
    for number, page in enumerate(pages, 1):
        canvas.setLineWidth(0.4)
        canvas.setStrokeGray(GREY)
        if header and number > 1:  # the opening page shows all this in its title block
            line = _small(header, fonts, small, trimming)
            _draw_line(canvas, line, (PAGE_WIDTH - line.extent) / 2, top + 22)
            canvas.line(left, top + 16, left + measure, top + 16)
        for placed in page:
            block = placed.block
            baseline = top - placed.top - (block.leading - block.size) / 2 \
                - (1 - EM_BOX_DESCENT) * block.size
            if placed.first and block.outline:
                bookmarks += 1
                key = f"h{bookmarks}"
                canvas.bookmarkPage(key, fit="XYZ", left=0, top=top - placed.top + 6)
                canvas.addOutlineEntry(block.outline[0], key, block.outline[1])
            _draw_line(canvas, placed.line, _line_x(placed, left), baseline)
            if block.rule_after and placed.line is block.lines[-1]:
                rule_y = top - placed.top - block.leading - block.space_after * body_leading / 2
                canvas.line(left, rule_y, left + measure, rule_y)
        # Drawn last so that text extraction reads header, body, footer.
        footer = _small(page_label(doc, number, len(pages)), fonts, small, trimming)
        _draw_line(canvas, footer, (PAGE_WIDTH - footer.extent) / 2, BOTTOM_MARGIN - 30)
        canvas.showPage()
    with _binary_streams():
        canvas.save()

    if not fonts.missing:
        return ()
    # No file name: whoever prints the warning names the file already.
    chars = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(fonts.missing))
    return (f"no font has {chars}; the PDF shows empty boxes for them",)
