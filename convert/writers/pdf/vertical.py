"""Vertical writing (直排): the document set in columns, top to bottom and
right to left, on A4 pages that a viewer shows right to left.

The column is a line turned a quarter turn: the same line breaker
(``lines``) sets it, with each character's advance down the column as its
width, so the kinsoku rules hold at column heads and feet and punctuation is
compressed as in horizontal text.  What changes is what each character is:

- Han characters and full-width signs stand upright, an em each;
- marks take their vertical forms from the face's own ``vert``/``vrt2``
  lookups (``vertical_forms``), with the blank halves of those forms;
- Latin words, long numbers and the dashes are turned 90° clockwise and
  take their own width down the column (a run of dashes stays one line);
- a number of two or three digits standing alone is set upright side by
  side in one em (縱中橫), a single digit upright.

Each glyph is placed on its own, column after column in reading order, so
text extraction gives the text in reading order.  The title block opens the
first page as the first columns (the title larger); the running header
stands in the right margin, the page number in the left one.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ...lang import region_of
from ..common import language_tag, page_label, running_header
from .fonts import Face, region_faces
from .layout import (
    GREY,
    Block,
    Fonts,
    Placed,
    Run,
    _binary_streams,
    _join_dashes,
    _paginate,
    _set_info,
    _tighten_apostrophes,
)
from .layout import (
    _blocks as _horizontal_blocks,
)
from .lines import (
    FORCED_BREAK,
    TRIMMING,
    Glyph,
    Line,
    Trimming,
    break_lines,
    is_latin,
    is_mark,
)
from .vertical_forms import EM_BOX_BOTTOM, EM_BOX_TOP, TURNED, vertical_forms

if TYPE_CHECKING:
    from ...model import Document
    from .options import PdfOptions

PAGE_WIDTH, PAGE_HEIGHT = A4
# The column is as long as the horizontal measure stretched by the page's
# proportion, so a vertical page holds about what a horizontal one does; it
# keeps this much of the page's height free at least (points).
MIN_VERTICAL_MARGINS = 140.0
# How far outside the text block the running header and the page number stand.
MARGIN_TEXT = 24.0
RULE_GAP = 14.0
# Digits set side by side in one em (縱中橫) take at most this much of its width.
COMBINED_WIDTH = 0.92
COMBINED_DIGITS = 3
# The emphasis dots stand right of the column, as far from its middle as this (em).
EMPHASIS_OFFSET = 0.66

UPRIGHT, VERTICAL, TURNED_FORM, COMBINED = range(4)


@dataclass(slots=True)
class VGlyph(Glyph):
    """A glyph of a column: ``width`` is its advance down the column;
    ``form`` says how it stands (upright, its vertical form, turned, or
    digits combined in one em)."""

    form: int = UPRIGHT
    across: float = 0.0  # the glyph's own width, across the column (points)


def column_length(options: PdfOptions) -> float:
    """The length of a body column in points: whole characters."""
    chars = math.floor(options.chars_per_line * PAGE_HEIGHT / PAGE_WIDTH)
    chars = min(chars, math.floor((PAGE_HEIGHT - MIN_VERTICAL_MARGINS) / options.font_size))
    return chars * options.font_size


# ---------------------------------------------------------------- glyphs


def _digit_groups(chars: list[str]) -> dict[int, int]:
    """Start -> end of each number of 1-3 ASCII digits standing alone (no
    Latin letter, digit, or word across a space next to it): these are set
    upright, a group combined in one em."""
    groups: dict[int, int] = {}
    n = len(chars)
    i = 0
    while i < n:
        if not (chars[i].isascii() and chars[i].isdigit()):
            i += 1
            continue
        j = i
        while j < n and chars[j].isascii() and is_latin(chars[j]):
            j += 1
        if j - i <= COMBINED_DIGITS and all(c.isdigit() for c in chars[i:j]) \
                and not (i > 0 and is_latin(chars[i - 1])) \
                and not _latin_across_space(chars, i - 1, -1) and not _latin_across_space(chars, j, 1):
            groups[i] = j
        i = max(j, i + 1)
    return groups


def _latin_across_space(chars: list[str], at: int, step: int) -> bool:
    """Is chars[at] a space with a Latin character beyond it?"""
    beyond = at + step
    return 0 <= at < len(chars) and chars[at] == " " and 0 <= beyond < len(chars) \
        and chars[beyond].isascii() and chars[beyond].isalnum()


# How a character stands in a column: the face that has it, its form, the
# font it is drawn from, its advance down the column and the blank above and
# below it that may go (em), its width across the column (em), whether no
# face has it, and how far it is moved down and across its place (em).
Setting = tuple[Face, int, str, float, float, float, float, bool, float, float]
# A narrow mark between Han characters (the interpunct of 雪克來提·扎克爾) is
# set in this much of the column (em), centred both ways (GB/T 15834: half
# an em).
NARROW_MARK = 0.5
# (regular, bold, set in bold) -> character -> its setting, found once per process.
_SETTINGS: dict[tuple[str, str, bool], dict[str, Setting | None]] = {}


def _setting(ch: str, bold: bool, fonts: Fonts) -> Setting | None:
    table = _SETTINGS.setdefault((fonts.regular.name, fonts.bold.name, bold), {})
    if ch in table:
        return table[ch]
    found = fonts.metrics(ch, bold)
    setting = None
    if found is not None:
        face, _, _, advance, missing = found
        forms = vertical_forms(face) if face.name in (fonts.regular.name, fonts.bold.name) else None
        if forms is not None and forms.has(ch):
            top, bottom = forms.adjustable(ch)
            setting = (face, VERTICAL, forms.face.name, forms.advances[ch], top, bottom, 1.0, missing, 0.0, 0.0)
        elif advance >= 0.9 and ch not in TURNED and not is_latin(ch):
            setting = (face, UPRIGHT, face.name, 1.0, 0.0, 0.0, advance, missing, 0.0, 0.0)
        elif is_mark(ch) and ch not in TURNED and advance < NARROW_MARK and _ink_middle(face, ch) is not None:
            # Turned, its ink on the column's middle (the ink's height
            # above the baseline becomes its place across the column).
            across_shift = (EM_BOX_TOP + EM_BOX_BOTTOM) / 2 - _ink_middle(face, ch)
            setting = (face, TURNED_FORM, face.name, NARROW_MARK, 0.0, 0.0, 1.0, missing,
                       (NARROW_MARK - advance) / 2, across_shift)
        else:
            setting = (face, TURNED_FORM, face.name, advance, 0.0, 0.0, 1.0, missing, 0.0, 0.0)
    table[ch] = setting
    return setting


def _ink_middle(face: Face, ch: str) -> float | None:
    """The middle of the glyph's ink, in em above the baseline; None for a
    glyph without outline."""
    ttf = face.font.face
    gid = ttf.charToGlyph.get(ord(ch))
    if gid is None or "glyf" not in ttf.table or ttf.glyphPos[gid + 1] == ttf.glyphPos[gid]:
        return None
    y_min, _, y_max = struct.unpack_from(">hhh", ttf._ttf_data, ttf.table["glyf"]["offset"] + ttf.glyphPos[gid] + 4)
    return (y_min + y_max) / 2 / ttf.unitsPerEm


def _glyphs(runs: list[Run], size: float, fonts: Fonts, color: float = 0.0,
            all_bold: bool = False) -> list[VGlyph]:
    chars: list[str] = []
    styles_of: list[tuple[bool, bool]] = []
    for text, bold, emph in runs:
        for ch in text:
            chars.append(" " if ch in "\t\u00a0" else ch)
            styles_of.append((bold or all_bold, emph))
    groups = _digit_groups(chars) if any(c.isdigit() for c in chars) else {}
    glyphs: list[VGlyph] = []
    faces: list[Face] = []
    i, n = 0, len(chars)
    while i < n:
        ch, (bold, emph) = chars[i], styles_of[i]
        if ch == FORCED_BREAK:
            glyphs.append(VGlyph(ch, fonts.regular.name, size, 0.0))
            faces.append(fonts.regular)
            i += 1
            continue
        setting = _setting(ch, bold, fonts)
        if setting is None:
            i += 1
            continue
        face, form, font, width, top, bottom, across, missing, shift, rise = setting
        if missing:
            fonts.missing.add(ch)
        if i in groups:
            end = groups[i]
            digits = "".join(chars[i:end])
            glyphs.append(VGlyph(digits, face.name, size, size, emphasis=emph, color=color, form=COMBINED,
                                 across=sum(face.advance(d) for d in digits) * size))
            faces.append(face)
            i = end
            continue
        if ch == "\u2019" and 0 < i < n - 1 and is_latin(chars[i - 1]) and is_latin(chars[i + 1]):
            # An apostrophe in a Latin word turns with the word.
            form, font, width, top, bottom, across = TURNED_FORM, face.name, face.advance(ch), 0.0, 0.0, 1.0
        glyphs.append(VGlyph(ch, font, size, width * size, top * size, bottom * size, emph, color,
                             shift=shift * size, rise=rise * size, form=form, across=across * size))
        faces.append(face)
        i += 1
    if "\u2019" in chars:
        _tighten_apostrophes(glyphs, faces, fonts)
    if any(g.char in TURNED for g in glyphs):
        _join_dashes(glyphs, faces)
    return glyphs


# ---------------------------------------------------------------- blocks


def _blocks(doc: Document, fonts: Fonts, body: float, length: float,
            line_spacing: float, trimming: Trimming) -> list[Block]:
    """The paragraphs as blocks of columns, built as horizontal lines are;
    ``Block.left`` is the distance from the column head, ``Block.width``
    the column's length."""
    return _horizontal_blocks(doc, fonts, body, length, line_spacing, trimming, glyphs_of=_glyphs)


def _column_start(placed: Placed) -> float:
    """Where the column's first glyph starts, down from the text block's top."""
    block, line = placed.block, placed.line
    y = block.left
    if block.style.align == "center":
        return y + (block.width - line.extent) / 2
    if block.style.align == "right":
        return y + block.width - line.extent
    return y + line.indent


# ---------------------------------------------------------------- drawing


class _Pen:
    """Writes a page's text operators straight into the canvas: a column
    places every glyph on its own, and reportlab's text object would take
    longer over that than the whole layout."""

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.shown: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def show(self, font: str, text: str) -> list[tuple[str, str]]:
        """(the PDF name of the font subset, the escaped string) that draw ``text``."""
        key = (font, text)
        found = self.shown.get(key)
        if found is None:
            doc = self.canvas._doc
            face = pdfmetrics.getFont(font)
            found = self.shown[key] = [(face.getSubsetInternalName(subset, doc), self.canvas._escape(chunk))
                                       for subset, chunk in face.splitString(text, doc)]
        return found

    def column(self, line: Line, middle: float, top: float) -> None:
        """Draw a column whose glyphs' middle is at x = ``middle`` and whose
        first em box starts at y = ``top``, glyph by glyph down the column.

        Readers that build lines from glyph positions (poppler) would read
        across the columns, so the column's text goes with it as its
        ActualText, in reading order."""
        said = "".join(g.char for g in line.glyphs if g.char != FORCED_BREAK)
        code = [f"/Span <</ActualText <FEFF{said.encode('utf-16-be').hex().upper()}>>> BDC BT"]
        out = code.append
        current, color, scale, rise = None, None, 1.0, 0.0
        # The glyph's origin is set relative to the one before (Td) while
        # the glyphs stand the same way, which keeps the page's stream short.
        turned, x0, y0 = None, 0.0, 0.0
        for g, down in zip(line.glyphs, line.xs, strict=True):
            if g.char == FORCED_BREAK:
                continue
            size = g.size
            head = top - down  # the top of this glyph's place in the column
            if g.color != color:
                color = g.color
                out(f"{color:.2f} g")
            want_scale, want_rise = 1.0, 0.0
            if g.form == TURNED_FORM:
                # Turned clockwise: its baseline runs down the column, the
                # middle of its em box on the column's middle.
                x, y = middle - (EM_BOX_TOP + EM_BOX_BOTTOM) / 2 * size, head
                want_scale, want_rise = g.scale, g.rise
            else:
                across = g.across
                if g.form == COMBINED and across > COMBINED_WIDTH * size:
                    want_scale = COMBINED_WIDTH * size / across
                    across = COMBINED_WIDTH * size
                x, y = middle - across / 2, head - EM_BOX_TOP * size
            is_turned = g.form == TURNED_FORM
            if is_turned is turned:
                dx, dy = round(x - x0, 2) or 0.0, round(y - y0, 2) or 0.0
                x0, y0 = x0 + dx, y0 + dy
                # Td moves in text space: turned, its x runs down the page.
                out(f"{-dy or 0.0:.2f} {dx:.2f} Td" if turned else f"{dx:.2f} {dy:.2f} Td")
            else:
                turned, x0, y0 = is_turned, round(x, 2), round(y, 2)
                out(f"0 -1 1 0 {x0:.2f} {y0:.2f} Tm" if turned else f"1 0 0 1 {x0:.2f} {y0:.2f} Tm")
            if want_scale != scale:
                scale = want_scale
                out(f"{scale * 100:.2f} Tz")
            if want_rise != rise:
                rise = want_rise
                out(f"{rise:.3f} Ts")
            for name, chunk in self.show(g.font, g.char):
                if (name, size) != current:
                    current = (name, size)
                    out(f"{name} {size:g} Tf")
                out(f"({chunk}) Tj")
        # Scale and rise are graphics state, kept past the end of the text object.
        if scale != 1.0:
            out("100 Tz")
        if rise != 0.0:
            out("0 Ts")
        out("ET EMC")
        canvas = self.canvas
        canvas._code.append("\n".join(code))
        for g, y in zip(line.glyphs, line.xs, strict=True):
            if g.emphasis and not g.char.isspace() and not g.mark:
                canvas.setFillGray(g.color)
                canvas.circle(middle + EMPHASIS_OFFSET * g.size, top - y - g.width / 2, 0.06 * g.size,
                              stroke=0, fill=1)


def _small(text: str, fonts: Fonts, size: float, trimming: Trimming) -> Line:
    return break_lines(_glyphs([(text, False, False)], size, fonts, GREY), 1e9, trimming=trimming)[0]


def render_vertical(doc: Document, out: BinaryIO, options: PdfOptions, creator: str) -> tuple[str, ...]:
    region = region_of(doc)
    regular, bold = region_faces(region)
    fonts = Fonts(regular, bold)
    trimming = replace(TRIMMING[region], vertical=True)
    body, line_spacing = options.font_size, options.line_spacing
    length = column_length(options)
    breadth = body * options.chars_per_line  # the text block's width, as the horizontal measure
    right = (PAGE_WIDTH + breadth) / 2
    left = right - breadth
    top = (PAGE_HEIGHT + length) / 2
    bottom = top - length
    body_leading = body * line_spacing

    blocks = _blocks(doc, fonts, body, length, line_spacing, trimming)
    pages = _paginate(blocks, breadth, body_leading) or [[]]
    header = running_header(doc)
    small = body * 0.76

    canvas = Canvas(out, pagesize=A4, invariant=1, pageCompression=1, pdfVersion=(1, 4),
                    initialFontName=regular.name, lang=language_tag(doc))
    _set_info(canvas, doc, creator)
    pen = _Pen(canvas)
    canvas.setViewerPreference("Direction", "R2L")
    bookmarks = 0
    for number, page in enumerate(pages, 1):
        canvas.setLineWidth(0.4)
        canvas.setStrokeGray(GREY)
        if header and number > 1:  # the opening page shows all this in its title block
            column = _small(header, fonts, small, trimming)
            pen.column(column, right + MARGIN_TEXT, top)
            canvas.line(right + RULE_GAP, top, right + RULE_GAP, bottom)
        for placed in page:
            block = placed.block
            middle = right - placed.top - block.leading / 2
            if placed.first and block.outline:
                bookmarks += 1
                key = f"h{bookmarks}"
                canvas.bookmarkPage(key, fit="XYZ", left=0, top=top + 6)
                canvas.addOutlineEntry(block.outline[0], key, block.outline[1])
            pen.column(placed.line, middle, top - _column_start(placed))
            if block.rule_after and placed.line is block.lines[-1]:
                rule_x = right - placed.top - block.leading - block.space_after * body_leading / 2
                canvas.line(rule_x, top, rule_x, bottom)
        # Drawn last so that text extraction reads header, body, page number.
        footer = _small(page_label(doc, number, len(pages)), fonts, small, trimming)
        pen.column(footer, left - MARGIN_TEXT, bottom + footer.extent)
        canvas.showPage()
    with _binary_streams():
        canvas.save()

    if not fonts.missing:
        return ()
    chars = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(fonts.missing))
    return (f"no font has {chars}; the PDF shows empty boxes for them",)
